import { EventContract } from '../json-schema';
import { arr, bool, date, int, nullable, num, obj, personal, str, uuid } from '../schema-builders';

export const CUSTOMER_KINDS = ['company', 'person'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

/** A person to talk to at the customer. Every field but `role` is personal data, sealed in events. */
export interface ContactV1 {
  name: string;
  role?: string;
  phone?: string;
  email?: string;
  /** YYYY-MM-DD, for care greetings. */
  birthday?: string;
  /** Keyed blind index of the normalised email, added by customers before sealing (searchable, not reversible). */
  emailBlindIndex?: string;
  /** Keyed blind index of the birthday's MM-DD, added by customers before sealing (care dates). */
  birthdayBlindIndex?: string;
}

export interface CustomerRegisteredV1 {
  customerId: string;
  kind: CustomerKind;
  legalName: string;
  industry?: string;
  region?: string;
  taxId?: string;
  accountManager?: string;
  tags: string[];
  contacts?: ContactV1[];
}

export const CustomerRegisteredV1Contract: EventContract = {
  type: 'CustomerRegistered',
  version: 1,
  schema: {
    type: 'object',
    required: ['customerId', 'kind', 'legalName', 'tags'],
    properties: {
      customerId: { type: 'string', format: 'uuid' },
      kind: { type: 'string', enum: [...CUSTOMER_KINDS] },
      legalName: { type: 'string', description: "A person's legal name is personal data: sealed (sealed:v1:…) with the customer's key like contacts, [erased] once erased; a company's is in clear" },
      industry: { type: 'string' },
      region: { type: 'string' },
      taxId: { type: 'string' },
      accountManager: { type: 'string' },
      tags: { type: 'array', items: { type: 'string' } },
      contacts: arr(obj({
        name: personal('the contact person\'s name'),
        'role?': str(),
        'phone?': personal('phone number'),
        'email?': personal('email address'),
        'birthday?': personal('birthday, YYYY-MM-DD once unsealed'),
        'emailBlindIndex?': str({ description: 'Blind index of the normalised email: HMAC-SHA256 under a key derived from the master key (search without unsealing); dropped by read models on erasure' }),
        'birthdayBlindIndex?': str({ description: 'Blind index of the birthday\'s month and day: HMAC-SHA256 of MM-DD under a key derived from the master key, so a day close finds care dates without unsealing; dropped by read models on erasure' }),
      })),
    },
  },
};

/** The customer's key was destroyed: its personal data in every event is unreadable from now on. */
export interface CustomerPersonalDataErasedV1 {
  customerId: string;
  /** Reference of the erasure request (e.g. DSR-2026-4711); published in clear and never erased, so never a name. */
  reason: string;
}

export const CustomerPersonalDataErasedV1Contract: EventContract = {
  type: 'CustomerPersonalDataErased',
  version: 1,
  schema: obj({ customerId: uuid(), reason: str() }),
};

/** Fields a profile update can change: a JSON merge patch of them (null clears an optional field). */
export const PROFILE_FIELDS = ['legalName', 'industry', 'region', 'taxId', 'tags'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** One profile change: the fields named in `changedFields` carry their new values (null: cleared). */
export interface CustomerProfileUpdatedV1 {
  customerId: string;
  changedFields: ProfileField[];
  legalName?: string;
  industry?: string | null;
  region?: string | null;
  taxId?: string | null;
  tags?: string[];
}

export const CustomerProfileUpdatedV1Contract: EventContract = {
  type: 'CustomerProfileUpdated',
  version: 1,
  schema: obj({
    customerId: uuid(),
    changedFields: arr(str({ enum: [...PROFILE_FIELDS] })),
    'legalName?': str({ description: "A person's legal name is personal data: sealed (sealed:v1:…) with the customer's key like contacts, [erased] once erased; a company's is in clear" }),
    'industry?': nullable(str()),
    'region?': nullable(str()),
    'taxId?': nullable(str()),
    'tags?': arr(str()),
  }),
};

export const CONTACT_FIELDS = ['name', 'role', 'phone', 'email', 'birthday'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** A contact person added; every field but `role` is personal data, sealed with the customer's key. */
export interface ContactAddedV1 extends ContactV1 {
  customerId: string;
  contactId: string;
}

export const ContactAddedV1Contract: EventContract = {
  type: 'ContactAdded',
  version: 1,
  schema: obj({
    customerId: uuid(),
    contactId: uuid(),
    name: personal('the contact person\'s name'),
    'role?': str(),
    'phone?': personal('phone number'),
    'email?': personal('email address'),
    'birthday?': personal('birthday, YYYY-MM-DD once unsealed'),
    'emailBlindIndex?': str({ description: 'Blind index of the normalised email: HMAC-SHA256 under a key derived from the master key (search without unsealing); dropped by read models on erasure' }),
    'birthdayBlindIndex?': str({ description: 'Blind index of the birthday\'s month and day: HMAC-SHA256 of MM-DD under a key derived from the master key, so a day close finds care dates without unsealing; dropped by read models on erasure' }),
  }),
};

/** A contact changed: the fields named carry their new values (null: cleared). */
export interface ContactUpdatedV1 {
  customerId: string;
  contactId: string;
  changedFields: ContactField[];
  name?: string;
  role?: string | null;
  phone?: string | null;
  email?: string | null;
  birthday?: string | null;
  /** With a changed email: its blind index (null: email cleared). */
  emailBlindIndex?: string | null;
  /** With a changed birthday: the blind index of its MM-DD (null: cleared). */
  birthdayBlindIndex?: string | null;
}

export const ContactUpdatedV1Contract: EventContract = {
  type: 'ContactUpdated',
  version: 1,
  schema: obj({
    customerId: uuid(),
    contactId: uuid(),
    changedFields: arr(str({ enum: [...CONTACT_FIELDS] })),
    'name?': personal('the contact person\'s name'),
    'role?': nullable(str()),
    'phone?': nullable(personal('phone number')),
    'email?': nullable(personal('email address')),
    'birthday?': nullable(personal('birthday, YYYY-MM-DD once unsealed')),
    'emailBlindIndex?': nullable(str({ description: 'Blind index of the normalised email: HMAC-SHA256 under a key derived from the master key (search without unsealing); dropped by read models on erasure' })),
    'birthdayBlindIndex?': nullable(str({ description: 'Blind index of the birthday\'s month and day: HMAC-SHA256 of MM-DD under a key derived from the master key, so a day close finds care dates without unsealing; dropped by read models on erasure' })),
  }),
};

export interface ContactRemovedV1 {
  customerId: string;
  contactId: string;
}

export const ContactRemovedV1Contract: EventContract = {
  type: 'ContactRemoved',
  version: 1,
  schema: obj({ customerId: uuid(), contactId: uuid() }),
};

export const CONSENT_CHANNELS = ['email', 'sms', 'phone', 'wechat'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export type Consent = Record<ConsentChannel, boolean>;

/** Marketing consent per channel after the change; who changed it, when, and on what basis. */
export interface CustomerConsentChangedV1 {
  customerId: string;
  consent: Consent;
  changedChannels: ConsentChannel[];
  /** Where the consent comes from (e.g. web form, signed contract). */
  source: string;
  /** User id of who recorded the change. */
  changedBy: string;
  /** Instant of the change. */
  changedAt: string;
}

export const CustomerConsentChangedV1Contract: EventContract = {
  type: 'CustomerConsentChanged',
  version: 1,
  schema: obj({
    customerId: uuid(),
    consent: obj({ email: bool(), sms: bool(), phone: bool(), wechat: bool() }),
    changedChannels: arr(str({ enum: [...CONSENT_CHANNELS] })),
    source: str(),
    changedBy: str(),
    changedAt: str({ format: 'date-time' }),
  }),
};

export interface AccountManagerAssignedV1 {
  customerId: string;
  accountManager: string;
  previousAccountManager?: string;
}

export const AccountManagerAssignedV1Contract: EventContract = {
  type: 'AccountManagerAssigned',
  version: 1,
  schema: obj({ customerId: uuid(), accountManager: str(), 'previousAccountManager?': str() }),
};

export interface CustomerArchivedV1 {
  customerId: string;
  reason: string;
}

export const CustomerArchivedV1Contract: EventContract = {
  type: 'CustomerArchived',
  version: 1,
  schema: obj({ customerId: uuid(), reason: str() }),
};

export interface CustomerReactivatedV1 {
  customerId: string;
}

export const CustomerReactivatedV1Contract: EventContract = {
  type: 'CustomerReactivated',
  version: 1,
  schema: obj({ customerId: uuid() }),
};

export const ABC_CLASSES = ['A', 'B', 'C'] as const;
export const LIFECYCLE_STAGES = ['prospect', 'new', 'repeat', 'loyal', 'at_risk', 'churned'] as const;

/** The customer's ABC class changed, with what it was computed from (reporting currency, minor units). */
export interface CustomerAbcClassChangedV1 {
  customerId: string;
  abcClass: (typeof ABC_CLASSES)[number];
  previousClass: (typeof ABC_CLASSES)[number] | null;
  businessDate: string;
  inputs: { trailingRevenue: number; totalRevenue: number; coveredBefore: number; reportingCurrency: string; policyVersion: number };
}

export const CustomerAbcClassChangedV1Contract: EventContract = {
  type: 'CustomerAbcClassChanged',
  version: 1,
  schema: obj({
    customerId: uuid(), abcClass: str({ enum: [...ABC_CLASSES] }), previousClass: nullable(str({ enum: [...ABC_CLASSES] })), businessDate: date(),
    inputs: obj({ trailingRevenue: int(), totalRevenue: int(), coveredBefore: int(), reportingCurrency: str(), policyVersion: int() }),
  }),
};

/** The customer's lifecycle stage changed, with what it was computed from. */
export interface CustomerLifecycleStageChangedV1 {
  customerId: string;
  stage: (typeof LIFECYCLE_STAGES)[number];
  previousStage: (typeof LIFECYCLE_STAGES)[number] | null;
  businessDate: string;
  inputs: { invoices: number; lastInvoiceOn: string | null; onTimeRatio: number | null; churnRiskOpen: boolean; relationshipEnded: boolean };
}

export const CustomerLifecycleStageChangedV1Contract: EventContract = {
  type: 'CustomerLifecycleStageChanged',
  version: 1,
  schema: obj({
    customerId: uuid(), stage: str({ enum: [...LIFECYCLE_STAGES] }), previousStage: nullable(str({ enum: [...LIFECYCLE_STAGES] })), businessDate: date(),
    inputs: obj({ invoices: int(), lastInvoiceOn: nullable(date()), onTimeRatio: nullable(num()), churnRiskOpen: bool(), relationshipEnded: bool() }),
  }),
};

/**
 * The customer's value as a day close scored it: RFM quintiles across all customers and CLV, with
 * their inputs (the ranking's size and how many customers scored strictly worse on each measure,
 * so each score can be recomputed) and the policy version. Recorded only when a score changes.
 */
export interface CustomerValueScoredV1 {
  customerId: string;
  businessDate: string;
  rfm: { r: number; f: number; m: number };
  clv: { amount: number; currency: string };
  previous: { rfm: { r: number; f: number; m: number } | null; clv: { amount: number; currency: string } | null };
  inputs: {
    /** Days since the last invoice or payment; null: neither yet. */
    recencyDays: number | null;
    lastActivityOn: string | null;
    /** Invoices issued in the trailing 12 months. */
    frequency: number;
    /** Trailing-12-month invoiced amount, reporting currency minor units. */
    monetary: number;
    customersRanked: number;
    strictlyWorse: { r: number; f: number; m: number };
    paidToDate: number;
    trailingPaid: number;
    retention: number;
    churnRiskOpen: boolean;
    reportingCurrency: string;
    rule: string;
    policyVersion: number;
  };
}

const rfmSchema = () => obj({ r: int(), f: int(), m: int() });
const clvSchema = () => obj({ amount: int(), currency: str() });

export const CustomerValueScoredV1Contract: EventContract = {
  type: 'CustomerValueScored', version: 1,
  schema: obj({
    customerId: uuid(), businessDate: date(), rfm: rfmSchema(), clv: clvSchema(),
    previous: obj({ rfm: nullable(rfmSchema()), clv: nullable(clvSchema()) }),
    inputs: obj({
      recencyDays: nullable(int()), lastActivityOn: nullable(date()), frequency: int(), monetary: int(), customersRanked: int(),
      strictlyWorse: rfmSchema(), paidToDate: int(), trailingPaid: int(), retention: num(), churnRiskOpen: bool(),
      reportingCurrency: str(), rule: str(), policyVersion: int(),
    }),
  }),
};

/** Customers' business calendar: a day closed (classifications recomputed for it, care dates announced). */
export interface CustomersBusinessDayClosedV1 { businessDate: string; closedBy: string }

export const CustomersBusinessDayClosedV1Contract: EventContract = {
  type: 'CustomersBusinessDayClosed', version: 1, schema: obj({ businessDate: date(), closedBy: str() }),
};

/** A new version of the classification rules: reporting currency, rates into it, retention (CLV). */
export interface ClassificationPolicyChangedV1 {
  version: number;
  reportingCurrency: string;
  /** Reporting-currency minor units per minor unit of each other currency. */
  rates: Array<{ currency: string; rate: number }>;
  retention: { base: number; atRisk: number };
  changedBy: string;
}

export const ClassificationPolicyChangedV1Contract: EventContract = {
  type: 'ClassificationPolicyChanged', version: 1,
  schema: obj({
    version: int(), reportingCurrency: str(), rates: arr(obj({ currency: str(), rate: num() })), retention: obj({ base: num(), atRisk: num() }), changedBy: str(),
  }),
};

/** A contact's care date (birthday) falls on `on`: engagement turns it into a greeting task. No personal value. */
export interface ContactCareDateDueV1 {
  customerId: string;
  contactId: string;
  occasion: 'birthday';
  on: string;
  /** Channels the customer consented to (may be empty: a greeting then needs no marketing channel). */
  channels: ConsentChannel[];
}

export const ContactCareDateDueV1Contract: EventContract = {
  type: 'ContactCareDateDue', version: 1,
  schema: obj({ customerId: uuid(), contactId: uuid(), occasion: str({ enum: ['birthday'] }), on: date(), channels: arr(str({ enum: [...CONSENT_CHANNELS] })) }),
};

export type CustomerEvent =
  | { type: 'CustomerRegistered'; data: CustomerRegisteredV1 }
  | { type: 'CustomerPersonalDataErased'; data: CustomerPersonalDataErasedV1 }
  | { type: 'CustomerProfileUpdated'; data: CustomerProfileUpdatedV1 }
  | { type: 'ContactAdded'; data: ContactAddedV1 }
  | { type: 'ContactUpdated'; data: ContactUpdatedV1 }
  | { type: 'ContactRemoved'; data: ContactRemovedV1 }
  | { type: 'CustomerConsentChanged'; data: CustomerConsentChangedV1 }
  | { type: 'AccountManagerAssigned'; data: AccountManagerAssignedV1 }
  | { type: 'CustomerArchived'; data: CustomerArchivedV1 }
  | { type: 'CustomerReactivated'; data: CustomerReactivatedV1 }
  | { type: 'CustomerAbcClassChanged'; data: CustomerAbcClassChangedV1 }
  | { type: 'CustomerLifecycleStageChanged'; data: CustomerLifecycleStageChangedV1 }
  | { type: 'CustomerValueScored'; data: CustomerValueScoredV1 };

export const customerContracts: EventContract[] = [
  CustomerRegisteredV1Contract, CustomerPersonalDataErasedV1Contract, CustomerProfileUpdatedV1Contract, ContactAddedV1Contract,
  ContactUpdatedV1Contract, ContactRemovedV1Contract, CustomerConsentChangedV1Contract, AccountManagerAssignedV1Contract,
  CustomerArchivedV1Contract, CustomerReactivatedV1Contract, CustomerAbcClassChangedV1Contract, CustomerLifecycleStageChangedV1Contract, CustomerValueScoredV1Contract,
  CustomersBusinessDayClosedV1Contract, ClassificationPolicyChangedV1Contract, ContactCareDateDueV1Contract,
];
