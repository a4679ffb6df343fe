import {
  abcClasses, abcSegments, ClassificationPolicy, customerLifetimeValue, lifecycleStage, LifecycleFacts, monthsBefore, toReporting, trailing12Months,
} from './classification';

const policy: ClassificationPolicy = { reportingCurrency: 'CNY', rates: { USD: 7.1 }, retention: { base: 0.8, atRisk: 0.3 } };
const classesOf = (revenues: Record<string, number>) => Object.fromEntries(abcClasses(Object.entries(revenues).map(([customerId, revenue]) => ({ customerId, revenue }))));

describe('ABC class (trailing 12 months, 80 % / 15 %)', () => {
  it('makes the customer that reaches exactly 80 % the last A, and the one reaching exactly 95 % the last B', () =>
    expect(classesOf({ a: 50, b: 30, c: 15, d: 5 })).toEqual({ a: 'A', b: 'A', c: 'B', d: 'C' }));

  it('makes one more A when the cover stays just under 80 %', () =>
    expect(classesOf({ a: 500, b: 299, c: 150, d: 51 })).toEqual({ a: 'A', b: 'A', c: 'A', d: 'B' }));

  it('makes a single customer covering everything an A, customers without revenue C', () =>
    expect(classesOf({ a: 100, b: 0, c: 0 })).toEqual({ a: 'A', b: 'C', c: 'C' }));

  it('makes everyone C when nobody has revenue', () => expect(classesOf({ a: 0, b: 0 })).toEqual({ a: 'C', b: 'C' }));

  it('ranks equal revenue by customer id, so the split is stable', () =>
    expect(classesOf({ y: 40, x: 40, z: 20 })).toEqual({ x: 'A', y: 'A', z: 'B' }));

  it('counts only invoices of the trailing 12 months, converted to the reporting currency', () => {
    expect(trailing12Months([{ on: '2025-11-30', amount: 1 }, { on: '2025-12-01', amount: 10 }, { on: '2026-11-30', amount: 100 }, { on: '2026-12-01', amount: 1000 }], '2026-11-30')).toBe(110);
    expect(monthsBefore('2024-02-29', 12)).toBe('2023-02-28');
    expect(toReporting(100, 'USD', policy)).toBe(710);
    expect(toReporting(100, 'CNY', policy)).toBe(100);
    expect(() => toReporting(100, 'EUR', policy)).toThrow(/no rate from EUR/);
  });
});

describe('lifecycle stage, both ways', () => {
  const facts = (over: Partial<LifecycleFacts>): LifecycleFacts => ({ invoiceDates: [], onTimeRatio: null, churnRiskOpen: false, relationshipEnded: false, ...over });
  const asOf = '2026-11-30';
  const fourQuarters = ['2026-01-15', '2026-04-15', '2026-07-15', '2026-10-15'];

  it('prospect → new → repeat → loyal', () => {
    expect(lifecycleStage(facts({}), asOf)).toBe('prospect');
    expect(lifecycleStage(facts({ invoiceDates: ['2026-10-01'] }), asOf)).toBe('new');
    expect(lifecycleStage(facts({ invoiceDates: ['2026-10-01', '2026-11-01'], onTimeRatio: 1 }), asOf)).toBe('repeat');
    expect(lifecycleStage(facts({ invoiceDates: fourQuarters, onTimeRatio: 0.9 }), asOf)).toBe('loyal');
  });

  it('is not loyal with a quarter missing or under 90 % on time', () => {
    expect(lifecycleStage(facts({ invoiceDates: ['2026-04-15', '2026-07-15', '2026-10-15', '2026-11-01'], onTimeRatio: 1 }), asOf)).toBe('repeat');
    expect(lifecycleStage(facts({ invoiceDates: fourQuarters, onTimeRatio: 0.89 }), asOf)).toBe('repeat');
  });

  it('loyal → at_risk with an open churn-risk flag, and back when it closes', () => {
    expect(lifecycleStage(facts({ invoiceDates: fourQuarters, onTimeRatio: 1, churnRiskOpen: true }), asOf)).toBe('at_risk');
    expect(lifecycleStage(facts({ invoiceDates: fourQuarters, onTimeRatio: 1 }), asOf)).toBe('loyal');
  });

  it('churned after 365 days without an invoice or when the relationship ended; a new invoice brings it back to repeat', () => {
    expect(lifecycleStage(facts({ invoiceDates: ['2025-11-30'] }), asOf)).toBe('churned');
    expect(lifecycleStage(facts({ invoiceDates: ['2025-12-01'] }), asOf)).toBe('new');
    expect(lifecycleStage(facts({ invoiceDates: ['2026-11-01'], relationshipEnded: true }), asOf)).toBe('churned');
    expect(lifecycleStage(facts({ invoiceDates: ['2025-01-01', '2026-11-20'], churnRiskOpen: false }), asOf)).toBe('repeat');
  });
});

describe('CLV', () => {
  it('adds the trailing year\'s payments times the retention probability, lower with churn risk', () => {
    expect(customerLifetimeValue(10_000, 1_000, false, policy)).toBe(10_800);
    expect(customerLifetimeValue(10_000, 1_000, true, policy)).toBe(10_300);
  });
});

describe('ABC segments', () => {
  it('counts customers and revenue share per class, unclassified apart', () =>
    expect(abcSegments([{ abcClass: 'A', revenue: 800 }, { abcClass: 'B', revenue: 150 }, { abcClass: 'C', revenue: 50 }, { abcClass: 'C', revenue: 0 }, { abcClass: null, revenue: 0 }]))
      .toEqual([
        { abcClass: 'A', customers: 1, revenue: 800, revenueShare: 0.8 }, { abcClass: 'B', customers: 1, revenue: 150, revenueShare: 0.15 },
        { abcClass: 'C', customers: 2, revenue: 50, revenueShare: 0.05 }, { abcClass: 'unclassified', customers: 1, revenue: 0, revenueShare: 0 },
      ]));

  it('gives every share 0 without revenue', () => expect(abcSegments([{ abcClass: 'C', revenue: 0 }])[2].revenueShare).toBe(0));
});
