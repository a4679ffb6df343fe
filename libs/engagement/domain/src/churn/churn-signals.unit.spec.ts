import { applyChurnSourceEvent, initialChurnFacts, PURCHASE_MONTHS_KEPT } from './churn-facts';
import { DEFAULT_CHURN_POLICY } from './churn-policy';
import { churnSignals, nextChurnCheckAfter } from './churn-signals';
import { breach, classChanged, CUSTOMER, factsFrom, interaction, invoice, monthlyInvoices, resolved, survey } from './churn.fixtures';

const months = (year: number, from = 1, to = 12) => Array.from({ length: to - from + 1 }, (_, i) => `${year}-${String(from + i).padStart(2, '0')}`);
const codes = (facts: ReturnType<typeof factsFrom>, on: string) => churnSignals(facts, on, DEFAULT_CHURN_POLICY.weights).map((s) => s.code);
const only = (facts: ReturnType<typeof factsFrom>, on: string) => churnSignals(facts, on, DEFAULT_CHURN_POLICY.weights);

describe('purchase frequency below half the usual rate', () => {
  const year = monthlyInvoices(months(2025));
  const contact = [interaction('2026-03-01T08:00:00Z'), '2026-03-01'] as const;

  it('shows when the last 3 months have fewer than half the usual invoices per 3 months, the numbers in the detail', () => {
    const signals = only(factsFrom([...year, [...contact]]), '2026-03-15');
    expect(signals).toEqual([{
      code: 'purchase-frequency-drop', points: 20,
      detail: '0 invoices in 2026-01..2026-03 against a usual 3.00 per 3 months (12 in 2025-01..2025-12); below half',
    }]);
  });

  it('shows at 1 invoice against a usual 3 per 3 months, and not at 2 (half is 1.5)', () => {
    expect(codes(factsFrom([...year, [invoice('2026-02-03'), '2026-02-03'], [...contact]]), '2026-03-15')).toEqual(['purchase-frequency-drop']);
    expect(codes(factsFrom([...year, [invoice('2026-02-03'), '2026-02-03'], [invoice('2026-03-03'), '2026-03-03'], [...contact]]), '2026-03-15')).toEqual([]);
  });

  it('does not show for a customer without a usual rate (nothing in the 12 months before)', () => {
    expect(codes(factsFrom([[invoice('2026-03-01'), '2026-03-01'], [...contact]]), '2026-03-15')).toEqual([]);
  });
});

describe('12-month spend down more than 50 %', () => {
  const history = [...monthlyInvoices(months(2024), 1, 10_000), ...monthlyInvoices(months(2025), 1, 4_000), [interaction('2025-12-01T08:00:00Z'), '2025-12-01'] as const];

  it('shows at 60 % down, in the currency of the larger earlier spend', () => {
    expect(only(factsFrom(history.map((h) => [...h] as any)), '2025-12-20')).toEqual([{
      code: 'spend-drop', points: 25,
      detail: '12-month spend 48000 CNY minor units (2025-01..2025-12) against 120000 (2024-01..2024-12): down 60 %, more than 50 %',
    }]);
  });

  it('does not show at exactly 50 % down', () => {
    const half = [...monthlyInvoices(months(2024), 1, 10_000), ...monthlyInvoices(months(2025), 1, 5_000), [interaction('2025-12-01T08:00:00Z'), '2025-12-01'] as any];
    expect(codes(factsFrom(half), '2025-12-20')).toEqual([]);
  });

  it('compares the currency of the larger earlier spend: a smaller one falling does not show', () => {
    const usd = months(2024).map((m) => [invoice(`${m}-12`, 500, 'USD'), `${m}-12`] as any);
    const usdThisYear = ['2025-03', '2025-09'].map((m) => [invoice(`${m}-12`, 500, 'USD'), `${m}-12`] as any);
    const cny = [...monthlyInvoices(months(2024), 1, 10_000), ...monthlyInvoices(months(2025), 1, 9_000)];
    expect(codes(factsFrom([...cny, ...usd, ...usdThisYear, [interaction('2025-12-01T08:00:00Z'), '2025-12-01']]), '2025-12-20')).toEqual([]);
  });

  it('keeps 24 monthly buckets, not every invoice', () => {
    const facts = factsFrom([...monthlyInvoices(months(2023), 3), ...monthlyInvoices(months(2024), 3), ...monthlyInvoices(months(2025), 3)]);
    expect(Object.keys(facts.purchases)).toHaveLength(PURCHASE_MONTHS_KEPT);
    expect(facts.purchases['2025-06']).toEqual({ count: 3, spend: { CNY: 3000 } });
  });
});

describe('low satisfaction', () => {
  it.each([['csat', 2, true], ['csat', 3, false], ['nps', 6, true], ['nps', 7, false]] as const)('%s %i shows: %s', (kind, score, shows) => {
    expect(codes(factsFrom([[survey(kind, score, '2026-03-01T08:00:00Z'), '2026-03-01']]), '2026-03-02')).toEqual(shows ? ['low-satisfaction'] : []);
  });

  it('counts the latest answer of each kind, whatever order they arrive in', () => {
    const later = survey('csat', 4, '2026-03-05T08:00:00Z');
    const earlier = survey('csat', 1, '2026-03-01T08:00:00Z');
    expect(codes(factsFrom([[later, '2026-03-05'], [earlier, '2026-03-01']]), '2026-03-06')).toEqual([]);
    expect(codes(factsFrom([[earlier, '2026-03-01'], [later, '2026-03-05']]), '2026-03-06')).toEqual([]);
    expect(codes(factsFrom([[later, '2026-03-05'], [earlier, '2026-03-01'], [survey('nps', 3, '2026-03-04T08:00:00Z'), '2026-03-04']]), '2026-03-06'))
      .toEqual(['low-satisfaction']);
  });
});

describe('an unresolved complaint past SLA', () => {
  it('shows while a breached complaint is open and stops when it is resolved', () => {
    const open = factsFrom([[breach('c-1'), '2026-03-01'], [breach('c-2', 'acknowledge'), '2026-03-01']]);
    expect(only(open, '2026-03-02')[0]).toMatchObject({ code: 'complaint-past-sla', points: 20, detail: expect.stringMatching(/^2 unresolved complaint\(s\) past SLA: c-1 \(resolve/) });
    expect(codes(factsFrom([[breach('c-1'), '2026-03-01'], [resolved('c-1'), '2026-03-05']]), '2026-03-06')).toEqual([]);
  });
});

describe('no interaction for 2 × the contact plan cadence', () => {
  it.each([['A', '2026-03-01', false], ['A', '2026-03-02', true], ['B', '2026-06-29', false], ['B', '2026-06-30', true]] as const)(
    'class %s, last interaction 2026-01-01, on %s shows: %s', (abcClass, on, shows) => {
      const facts = factsFrom([[classChanged(abcClass, '2025-12-31'), '2026-01-01'], [interaction('2026-01-01T08:00:00Z'), '2026-01-01']]);
      expect(codes(facts, on)).toEqual(shows ? ['no-recent-interaction'] : []);
    });

  it('counts 360 days for a customer without a class (C), from the first fact when no interaction was recorded', () => {
    const facts = factsFrom([[survey('csat', 5, '2026-01-01T08:00:00Z'), '2026-01-01']]);
    expect(codes(facts, '2026-12-26')).toEqual([]);
    expect(only(facts, '2026-12-27')).toEqual([{ code: 'no-recent-interaction', points: 15,
      detail: 'no interaction recorded since 2026-01-01, the first fact known: 360 days, at least 2 × the 180-day cadence of class C (none)' }]);
  });
});

describe('the next date a time-based signal can change (the day close\'s schedule)', () => {
  it('is the day the no-interaction limit is reached', () => {
    const facts = factsFrom([[classChanged('A', '2026-01-01'), '2026-01-01'], [interaction('2026-01-01T08:00:00Z'), '2026-01-01']]);
    expect(nextChurnCheckAfter(facts, '2026-01-15')).toBe('2026-03-02');
    expect(codes(facts, '2026-03-01')).toEqual([]);
    expect(codes(facts, '2026-03-02')).toEqual(['no-recent-interaction']);
  });

  it('is the first day of the month the purchase windows make the frequency signal show', () => {
    const facts = factsFrom([...monthlyInvoices(months(2025)), [interaction('2025-12-01T08:00:00Z'), '2025-12-01']]);
    expect(nextChurnCheckAfter(facts, '2025-12-20')).toBe('2026-02-01');
    expect(codes(facts, '2026-01-31')).toEqual([]);
    expect(codes(facts, '2026-02-01')).toEqual(['purchase-frequency-drop']);
  });

  it('is none once the no-interaction signal shows and nothing else can change with time alone', () => {
    const facts = initialChurnFacts(CUSTOMER);
    applyChurnSourceEvent(facts, breach('c-1'), '2026-03-01');
    applyChurnSourceEvent(facts, interaction('2026-03-01T08:00:00Z'), '2026-03-01');
    expect(nextChurnCheckAfter(facts, '2026-03-01')).toBe('2027-02-24');
    applyChurnSourceEvent(facts, classChanged('A', '2026-03-01'), '2026-03-01');
    expect(nextChurnCheckAfter(facts, '2026-04-30')).toBeNull();
  });
});
