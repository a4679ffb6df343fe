import { Random } from './random';

/** How a customer pays: drives payment dates, promises, disputes and write-offs. */
export type PayerKind = 'punctual' | 'slightly-late' | 'late' | 'defaulter';
export type CustomerSize = 'small' | 'medium' | 'large';

export interface CustomerProfile {
  index: number;
  customerId: string;
  /** What POST /v1/customers would be sent. */
  registration: {
    kind: 'company' | 'person';
    legalName: string;
    industry?: string;
    region: string;
    taxId?: string;
    accountManager: string;
    tags: string[];
    contacts: Array<{ name: string; role?: string; phone?: string; email?: string; birthday?: string }>;
  };
  size: CustomerSize;
  payer: PayerKind;
  /** Median invoice amount in minor units (CNY fen). */
  medianInvoice: number;
  /** Mean days between invoices. */
  invoiceEveryDays: number;
  /** Yearly chance of a complaint, and of answering an NPS survey. */
  complaintsPerYear: number;
}

const REGIONS = ['East', 'North', 'South', 'West', 'Central'] as const;
const INDUSTRIES = ['tea', 'textiles', 'electronics', 'furniture', 'logistics', 'food', 'machinery', 'retail'] as const;
const CITIES = ['Shanghai', 'Hangzhou', 'Suzhou', 'Nanjing', 'Beijing', 'Tianjin', 'Guangzhou', 'Shenzhen', 'Chengdu', 'Wuhan', 'Xiamen', 'Qingdao'] as const;
const WORDS = ['Lotus', 'Jade', 'Golden', 'Silk', 'Dragon', 'Harmony', 'Pearl', 'Bamboo', 'Phoenix', 'Orchid', 'Summit', 'Riverside'] as const;
const FORMS = ['Co., Ltd.', 'Trading Co.', 'Works', 'Group', 'Industries'] as const;
const SURNAMES = ['Li', 'Wang', 'Zhang', 'Liu', 'Chen', 'Yang', 'Zhao', 'Huang', 'Zhou', 'Wu'] as const;
const GIVEN = ['Wei', 'Fang', 'Min', 'Jing', 'Lei', 'Yan', 'Hao', 'Xin', 'Jun', 'Mei'] as const;
const ROLES = ['CFO', 'Purchasing', 'Owner', 'Accounts payable'] as const;
export const ACCOUNT_MANAGERS = Array.from({ length: 8 }, (_, i) => `am-${i + 1}`);

const SIZES: ReadonlyArray<readonly [CustomerSize, number]> = [['small', 70], ['medium', 25], ['large', 5]];
const PAYERS: ReadonlyArray<readonly [PayerKind, number]> = [['punctual', 55], ['slightly-late', 25], ['late', 15], ['defaulter', 5]];
/** Median invoice in fen and mean days between invoices, by size: yearly spend ~ 60k, 500k, 4M CNY. */
const BY_SIZE: Record<CustomerSize, { median: number; every: number }> = {
  small: { median: 600_000, every: 30 },
  medium: { median: 3_000_000, every: 21 },
  large: { median: 15_000_000, every: 14 },
};

function person(random: Random) {
  return `${random.pick(SURNAMES)} ${random.pick(GIVEN)}`;
}

function birthday(random: Random): string {
  const year = random.int(1955, 2000);
  const month = random.int(1, 12);
  const day = random.int(1, 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Customer `index` of a seeded population: the same seed and index always give the same customer. */
export function customerProfile(seed: string, index: number): CustomerProfile {
  const random = new Random(`${seed}:customer:${index}`);
  const customerId = random.uuid();
  const kind = random.chance(0.85) ? 'company' : 'person';
  const size = kind === 'person' ? 'small' : random.weighted(SIZES);
  const payer = random.weighted(PAYERS);
  const region = random.pick(REGIONS);
  const industry = random.pick(INDUSTRIES);
  const contactName = person(random);
  const domain = `c${index}.example.cn`;
  const contacts = kind === 'person'
    ? [{ name: contactName, phone: `+86 139 ${String(random.int(0, 9999)).padStart(4, '0')} ${String(random.int(0, 9999)).padStart(4, '0')}`,
      email: `customer${index}@example.cn`, ...(random.chance(0.6) ? { birthday: birthday(random) } : {}) }]
    : Array.from({ length: random.int(1, 2) }, (_, i) => ({
      name: i === 0 ? contactName : person(random), role: random.pick(ROLES), email: `contact${i + 1}@${domain}`,
      phone: `+86 21 ${String(random.int(1000, 9999))} ${String(random.int(1000, 9999))}`,
      ...(random.chance(0.4) ? { birthday: birthday(random) } : {}),
    }));
  const legalName = kind === 'company'
    ? `${random.pick(CITIES)} ${random.pick(WORDS)} ${industry[0].toUpperCase()}${industry.slice(1)} ${random.pick(FORMS)} #${index}`
    : contactName;
  const { median, every } = BY_SIZE[size];
  return {
    index,
    customerId,
    registration: {
      kind, legalName, region, accountManager: random.pick(ACCOUNT_MANAGERS), tags: [industry, size],
      contacts,
      ...(kind === 'company' ? { industry, taxId: `91${new Random(`${seed}:tax`).int(1000, 9999)}${String(index).padStart(10, '0')}X` } : {}),
    },
    size,
    payer,
    medianInvoice: Math.round(median * (0.6 + random.next() * 0.8)),
    invoiceEveryDays: Math.round(every * (0.7 + random.next() * 0.6)),
    complaintsPerYear: payer === 'defaulter' ? 1.5 : random.chance(0.3) ? 1 : 0.2,
  };
}

/** Days after the due date a customer of this kind pays (negative: early). */
export function lateness(payer: PayerKind, random: Random): number {
  switch (payer) {
    case 'punctual': return random.int(-10, 0);
    case 'slightly-late': return random.chance(0.5) ? random.int(-3, 0) : random.int(1, 15);
    case 'late': return random.int(10, 60);
    case 'defaulter': return random.chance(0.4) ? random.int(20, 80) : Number.POSITIVE_INFINITY;
  }
}
