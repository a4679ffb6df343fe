import { EventEnvelope } from '@crm/contracts';
import { deciderSpec } from '@crm/testing';
import { customerDecider, CustomerDomainEvent, RecordClassification } from '../customer/customer.decider';
import { RFM_RULE, rfmRanks, RfmInput } from './classification';
import { evolveChurnRisk } from './churn-risk.evolve';

/** Given customers' measures, when the day close scores them, then each gets these quintiles. */
const scored = (rows: RfmInput[]) => {
  const ranks = rfmRanks(rows);
  return Object.fromEntries(rows.map((r) => [r.customerId, ranks.get(r.customerId)!.score]));
};
const row = (customerId: string, recencyDays: number | null, frequency: number, monetary: number): RfmInput => ({ customerId, recencyDays, frequency, monetary });

describe('RFM quintiles, ties sharing a score (score = 1 + ⌊5 · strictly worse / ranked⌋)', () => {
  it('given ten customers with distinct values, when scored, then they score 1–5 in pairs', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(`c${i}`, 100 - i * 10, i, i * 100));
    expect(Object.values(scored(rows)).map((s) => [s.r, s.f, s.m])).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5].map((q) => [q, q, q]));
  });

  it('given two customers with the same values across a quintile boundary, when scored, then both get the lower score', () => {
    // Ten customers; c4 and c5 tie on frequency 4 inside the third quintile: both 3.
    const rows = [0, 1, 2, 3, 4, 4, 6, 7, 8, 9].map((f, i) => row(`c${i}`, 1, f, 0));
    expect(rows.map((r) => scored(rows)[r.customerId].f)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    const boundary = [0, 1, 2, 3, 3, 5, 6, 7, 8, 9].map((f, i) => row(`c${i}`, 1, f, 0));
    // c3 and c4 tie where the 2nd quintile ends: both 2 (3 customers strictly worse), not 2 and 3.
    expect(boundary.map((r) => scored(boundary)[r.customerId].f)).toEqual([1, 1, 2, 2, 2, 3, 4, 4, 5, 5]);
  });

  it('given most customers never invoiced, when scored, then they all share the lowest score and the rest are spread above', () => {
    const rows = [...Array.from({ length: 6 }, (_, i) => row(`none${i}`, null, 0, 0)), row('a', 200, 1, 100), row('b', 30, 2, 500), row('c', 5, 6, 900), row('d', 5, 6, 900)];
    const s = scored(rows);
    expect(new Set(Array.from({ length: 6 }, (_, i) => JSON.stringify(s[`none${i}`])))).toEqual(new Set([JSON.stringify({ r: 1, f: 1, m: 1 })]));
    expect([s.a, s.b, s.c, s.d]).toEqual([{ r: 4, f: 4, m: 4 }, { r: 4, f: 4, m: 4 }, { r: 5, f: 5, m: 5 }, { r: 5, f: 5, m: 5 }]);
  });

  it('given everyone equal, when scored, then everyone scores 1 (nobody is better than anyone)', () =>
    expect(scored([row('a', 3, 1, 10), row('b', 3, 1, 10)])).toEqual({ a: { r: 1, f: 1, m: 1 }, b: { r: 1, f: 1, m: 1 } }));

  it('given a ranking, when scored, then each score records how many ranked strictly worse and of how many', () =>
    expect(rfmRanks([row('a', 10, 1, 5), row('b', 1, 3, 5), row('c', null, 0, 0)]).get('b'))
      .toEqual({ score: { r: 4, f: 4, m: 2 }, strictlyWorse: { r: 2, f: 2, m: 1 }, ranked: 3 }));
});

describe('customer decider: the day close records RFM and CLV only when they change', () => {
  const spec = deciderSpec(customerDecider);
  const id = '11111111-2222-4333-8444-555555555555';
  const registered: CustomerDomainEvent = { type: 'CustomerRegistered', schemaVersion: 1, data: { customerId: id, kind: 'company', legalName: 'Acme', tags: [] } };
  const inputs = {
    recencyDays: 3, lastActivityOn: '2026-11-27', frequency: 4, monetary: 9_000, customersRanked: 10, strictlyWorse: { r: 8, f: 9, m: 9 },
    paidToDate: 20_000, trailingPaid: 5_000, retention: 0.8, churnRiskOpen: false, reportingCurrency: 'CNY', rule: RFM_RULE, policyVersion: 0,
  };
  const value = { rfm: { r: 5, f: 5, m: 5 }, clv: { amount: 24_000, currency: 'CNY' }, inputs };
  const classify = (v: typeof value, businessDate = '2026-11-30'): RecordClassification => ({ type: 'RecordClassification', data: { customerId: id, businessDate, value: v } });
  const scoredEvent: CustomerDomainEvent = { type: 'CustomerValueScored', schemaVersion: 1,
    data: { customerId: id, businessDate: '2026-11-30', ...value, previous: { rfm: null, clv: null } } };

  it('given no score yet, when classified, then the first score is recorded with its inputs and no previous one', () =>
    spec.given([registered]).when(classify(value)).then([scoredEvent]));

  it('given the same scores, when classified again, then nothing is recorded', () =>
    spec.given([registered, scoredEvent]).when(classify(value, '2026-12-01')).thenNothingHappened());

  it('given a score, when only CLV changes, then the new value is recorded citing the previous one', () =>
    spec.given([registered, scoredEvent]).when(classify({ ...value, clv: { amount: 21_500, currency: 'CNY' } }, '2026-12-01')).then([{
      type: 'CustomerValueScored', schemaVersion: 1,
      data: { customerId: id, businessDate: '2026-12-01', ...value, clv: { amount: 21_500, currency: 'CNY' }, previous: { rfm: value.rfm, clv: value.clv } },
    }]));

  it('folds the last score into the customer (GET and the 360 show it)', () => {
    const state = [registered, scoredEvent].reduce((s, e) => customerDecider.evolve(s, e), customerDecider.initialState());
    expect(state).toMatchObject({ rfm: { r: 5, f: 5, m: 5 }, clv: { amount: 24_000, currency: 'CNY' }, classifiedOn: '2026-11-30' });
  });
});

describe('customers\' copy of engagement\'s churn-risk flag', () => {
  const customerId = '11111111-2222-4333-8444-555555555555';
  const churn = (type: string, id: string, time: string, score: number): EventEnvelope => ({
    id, type, schemaVersion: 1, source: 'engagement', subject: customerId, time, streamId: `churn-${customerId}`, streamVersion: 1,
    metadata: { actor: { id: 'e', roles: [] }, correlationId: 'c', causationId: 'c' },
    data: { customerId, score, signals: [], on: time.slice(0, 10), causedBy: null, policyVersion: 1, ...(type === 'ChurnRiskFlagged' ? { accountManager: null } : {}) },
  } as EventEnvelope);
  const fold = (events: EventEnvelope[]) => events.reduce<ReturnType<typeof evolveChurnRisk> | undefined>((d, e) => evolveChurnRisk(d ?? undefined, e, customerId), undefined);

  it('opens on ChurnRiskFlagged, keeps it open on a score without a crossing, closes on ChurnRiskCleared', () => {
    const flagged = churn('ChurnRiskFlagged', 'e1', '2026-11-01T00:00:00.000Z', 70);
    const scoredEvent = churn('ChurnRiskScored', 'e2', '2026-11-02T00:00:00.000Z', 75);
    expect(fold([flagged, scoredEvent])).toMatchObject({ open: true, score: 75 });
    expect(fold([flagged, scoredEvent, churn('ChurnRiskCleared', 'e3', '2026-11-03T00:00:00.000Z', 20)])).toMatchObject({ open: false, score: 20 });
  });

  it('ends in the same state whatever order the events arrive in (the later one wins)', () => {
    const events = [churn('ChurnRiskFlagged', 'e1', '2026-11-01T00:00:00.000Z', 70), churn('ChurnRiskCleared', 'e2', '2026-11-03T00:00:00.000Z', 20)];
    expect(fold([...events].reverse())).toEqual(fold(events));
  });
});
