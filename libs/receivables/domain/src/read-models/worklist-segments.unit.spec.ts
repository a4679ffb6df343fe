import { PaidInvoice } from './payment-prediction';
import { deciderSpec } from '@crm/testing';
import { placeInSegment, SEGMENT_RULES, SegmentFacts, segmentPolicyDecider, SegmentRules } from './worklist-segments';

const paid = (daysLate: number, n: number): PaidInvoice => ({ invoiceId: `p-${n}`, dueDate: '2026-01-31', paidOn: '2026-02-01', daysLate, termsDays: 30, disputed: false });
const facts = (extra: Partial<SegmentFacts> = {}): SegmentFacts => ({ asOf: '2026-03-01', outstanding: 500_000, currency: 'CNY', dunningLevel: 1, disputed: false,
  promisedDate: null, brokenPromises: 0, paid: [], limit: null, openInLimitCurrency: 0, unmatchedCash: 0, ...extra });
const goodPayer = [paid(0, 1), paid(2, 2), paid(4, 3)];

describe('worklist segments (rules version 1)', () => {
  it('deprioritizes an open dispute, a promise not yet due and unmatched cash, naming the rule', () => {
    expect(placeInSegment('deprioritized', facts({ disputed: true }))).toMatchObject({ rule: 'open-dispute', policyVersion: 1 });
    expect(placeInSegment('deprioritized', facts({ promisedDate: '2026-03-05' }))).toMatchObject({ rule: 'promise-not-yet-due', inputs: { promisedDate: '2026-03-05' } });
    expect(placeInSegment('deprioritized', facts({ promisedDate: '2026-02-20' }))).toBeNull();
    expect(placeInSegment('deprioritized', facts({ unmatchedCash: 1_000 }))).toMatchObject({ rule: 'unmatched-cash', inputs: { unmatchedCash: 1_000 } });
    expect(placeInSegment('deprioritized', facts())).toBeNull();
  });

  it('puts broken promises, several dunning levels and habitual lateness at risk, not a deprioritized invoice', () => {
    expect(placeInSegment('at-risk', facts({ brokenPromises: 1 }))).toMatchObject({ rule: 'broken-promise' });
    expect(placeInSegment('at-risk', facts({ dunningLevel: 3 }))).toMatchObject({ rule: 'several-dunning-levels', inputs: { dunningLevel: 3 } });
    expect(placeInSegment('at-risk', facts({ dunningLevel: 2 }))).toBeNull();
    expect(placeInSegment('at-risk', facts({ paid: [paid(30, 1), paid(45, 2), paid(10, 3)] }))).toMatchObject({ rule: 'habitually-late', inputs: { medianDaysLate: 30 } });
    expect(placeInSegment('at-risk', facts({ dunningLevel: 4, disputed: true }))).toBeNull();
  });

  it('finds low-hanging fruit among customers who usually pay: a small balance, or near the limit', () => {
    expect(placeInSegment('low-hanging-fruit', facts({ paid: goodPayer, outstanding: 90_000 }))).toMatchObject({ rule: 'usually-pays-small-balance', inputs: { medianDaysLate: 2 } });
    expect(placeInSegment('low-hanging-fruit', facts({ paid: goodPayer, limit: { amount: 600_000, currency: 'CNY' }, openInLimitCurrency: 500_000 })))
      .toMatchObject({ rule: 'usually-pays-near-limit', inputs: { utilization: 0.833 } });
    expect(placeInSegment('low-hanging-fruit', facts({ paid: goodPayer, limit: { amount: 1_000_000, currency: 'CNY' }, openInLimitCurrency: 500_000 }))).toBeNull();
    expect(placeInSegment('low-hanging-fruit', facts({ paid: goodPayer.slice(0, 2), outstanding: 90_000 }))).toBeNull();
    expect(placeInSegment('low-hanging-fruit', facts({ paid: [paid(20, 1), paid(20, 2), paid(1, 3)], outstanding: 90_000 }))).toBeNull();
  });
});

describe('worklist segment rules as a versioned policy', () => {
  const spec = deciderSpec(segmentPolicyDecider);
  const { version: _v, ...v1 } = SEGMENT_RULES;
  const change = (rules: Omit<SegmentRules, 'version'>) => ({ type: 'ChangeSegmentPolicy' as const, data: { ...rules, changedBy: 'cm-1', changedOn: '2026-03-02' } });
  const stricter = { ...v1, smallBalance: { maxOutstanding: 50_000 }, severalDunningLevels: { minLevel: 2 } };

  it('starts at version 1, today\'s rules; a change is the next version, the same rules again nothing', () => {
    expect(segmentPolicyDecider.initialState()).toEqual(SEGMENT_RULES);
    spec.given([]).when(change(v1)).thenNothingHappened();
    spec.given([]).when(change(stricter)).then([{ type: 'WorklistSegmentPolicyChanged', schemaVersion: 1,
      data: { version: 2, ...stricter, changedBy: 'cm-1', changedOn: '2026-03-02' } }]);
  });

  it('refuses rules under which a customer both usually pays and is habitually late, naming the field', () =>
    spec.given([]).when(change({ ...v1, habituallyLate: { minPaidInvoices: 3, minMedianDaysLate: 5 } }))
      .thenThrows('segment-rules-overlap', 'habituallyLate.minMedianDaysLate'));

  it('places by the version it is given, and each placement cites it', () => {
    const [changed] = segmentPolicyDecider.decide(change(stricter), segmentPolicyDecider.initialState());
    const v2 = segmentPolicyDecider.evolve(segmentPolicyDecider.initialState(), changed);
    const twoLevels = facts({ dunningLevel: 2 });
    expect(placeInSegment('at-risk', twoLevels)).toBeNull();
    expect(placeInSegment('at-risk', twoLevels, v2)).toEqual({ segment: 'at-risk', rule: 'several-dunning-levels', policyVersion: 2, inputs: { dunningLevel: 2 } });
    expect(placeInSegment('low-hanging-fruit', facts({ paid: goodPayer, outstanding: 90_000 }))).toMatchObject({ policyVersion: 1 });
    expect(placeInSegment('low-hanging-fruit', facts({ paid: goodPayer, outstanding: 90_000 }), v2)).toBeNull();
  });
});
