import { DEFAULT_CREDIT_POLICY } from '../policy/credit-policy';
import { deciderSpec } from '@crm/testing';
import { creditAccountDecider } from './credit-account.decider';
import { creditPolicyDecider } from '../policy/credit-policy.decider';
import { event } from './credit-account.events';
import {
  approve, assessed, CUSTOMER, evaluate, facts, limitApproved, noHistory, POLICY, REQUEST, requested,
} from './credit-account.fixtures';

const spec = deciderSpec(creditAccountDecider);
const dunning3 = facts({ version: 7, worstDunning: { invoiceId: 'inv-1', level: 3, eventId: 'dun-1' }, triggeredBy: ['dun-1'] });
const placedFor = (f = dunning3) => creditAccountDecider.decide(evaluate(f), creditAccountDecider.initialState());

describe('recording financials and assessing', () => {
  it('refuses a customer credit has not seen registered, naming the field', () =>
    spec.given([]).when({ type: 'RecordFinancials', data: { customerId: CUSTOMER, annualRevenue: 1, debtRatio: 1, currentRatio: 1, yearsInBusiness: 1,
      asOf: '2026-01-01', recordedBy: 'cm', recordedOn: '2026-03-01' }, context: { customerKnown: false } }).thenThrows('unknown-customer', 'customerId'));

  it('grades a customer with no history and no financials, the factors saying so, citing the policy version', () =>
    spec.given([]).when({ type: 'AssessCredit', data: { assessmentId: 'a-1', customerId: CUSTOMER, assessedBy: 'cm', assessedOn: '2026-03-01' },
      context: { customerKnown: true, paymentHistory: noHistory, policy: { version: 4, rules: DEFAULT_CREDIT_POLICY } } })
      .then(([e]) => {
        expect(e.type).toBe('CreditAssessed');
        const d = e.data as any;
        expect([d.score, d.grade, d.policyVersion]).toEqual([33, 'D', 4]);
        expect(d.factors.every((f: any) => f.input === null && /no (payment history|financials)/.test(f.note))).toBe(true);
        expect(d.inputs).toEqual({ paymentHistory: noHistory, financials: null });
      }));

  it('scores the latest financials recorded on the stream', () =>
    spec.given([event('CreditFinancialsRecorded', { customerId: CUSTOMER, annualRevenue: 20_000_000_000, debtRatio: 0.4, currentRatio: 2.5,
      yearsInBusiness: 12, asOf: '2025-12-31', recordedBy: 'cm', recordedOn: '2026-03-01' })])
      .when({ type: 'AssessCredit', data: { assessmentId: 'a-1', customerId: CUSTOMER, assessedBy: 'cm', assessedOn: '2026-03-01' },
        context: { customerKnown: true, paymentHistory: noHistory, policy: POLICY } })
      .then(([e]) => expect(e.data).toMatchObject({ score: 68, grade: 'B' })));
});

describe('limit requests: maker-checker and the terms of each grade', () => {
  it('opens a pending request', () =>
    spec.given([]).when({ type: 'RequestCreditLimit', data: { requestId: REQUEST, customerId: CUSTOMER, amount: 5_000_000, currency: 'CNY', paymentTermsDays: 30,
      reason: 'new distributor', requestedBy: 'sales-1', requestedOn: '2026-03-01' }, context: { customerKnown: true } }).then([requested()]));

  it('refuses approval by the requester (separation of duties)', () =>
    spec.given([assessed('B'), requested(5_000_000, 30, 'cm-1')]).when(approve('cm-1')).thenThrows('separation-of-duties'));

  it('approves within the grade\'s terms, with terms, grade, policy version, request and review date', () =>
    spec.given([assessed('B'), requested()]).when(approve('cm-1')).then([event('CreditLimitApproved', {
      customerId: CUSTOMER, limit: 5_000_000, currency: 'CNY', approvedBy: 'cm-1', approvedOn: '2026-03-02', paymentTermsDays: 30, grade: 'B',
      policyVersion: 0, requestId: REQUEST, approvers: ['cm-1'], reviewDueOn: '2027-03-02',
      inputs: { amount: 5_000_000, currency: 'CNY', paymentTermsDays: 30, assessmentId: expect.any(String), score: 70, grade: 'B', maxPaymentTermsDays: 45, secondApproverThreshold: 100_000_000 },
    })]));

  it.each([['A', 61], ['B', 46], ['C', 31]] as const)('refuses terms above grade %s\'s maximum, naming the rule and the field', (grade, days) =>
    spec.given([assessed(grade), requested(5_000_000, days)]).when(approve('cm-1')).thenThrows('terms-exceed-grade-maximum', 'paymentTermsDays'));

  it.each([['A', 60], ['B', 45], ['C', 30]] as const)('accepts grade %s\'s maximum of %i days', (grade, days) =>
    spec.given([assessed(grade), requested(5_000_000, days)]).when(approve('cm-1')).then(([e]) => expect(e.type).toBe('CreditLimitApproved')));

  it('gives grade D no credit at all', () =>
    spec.given([assessed('D'), requested(5_000_000, 0)]).when(approve('cm-1')).thenThrows('grade-allows-no-credit'));

  it('grades the customer on the spot when no assessment is on record, recording it first', () => {
    spec.given([requested()]).when(approve('cm-1')).thenThrows('assessment-required');
    const financials = event('CreditFinancialsRecorded', { customerId: CUSTOMER, annualRevenue: 20_000_000_000, debtRatio: 0.4, currentRatio: 2.5,
      yearsInBusiness: 12, asOf: '2025-12-31', recordedBy: 'cm', recordedOn: '2026-03-01' });
    const withHistory = { ...approve('cm-1'), context: { ...approve('cm-1').context, assessment: { assessmentId: 'a-9', paymentHistory: noHistory } } };
    spec.given([financials, requested()]).when(withHistory).then((events) => {
      expect(events.map((e) => e.type)).toEqual(['CreditAssessed', 'CreditLimitApproved']);
      expect(events[1].data).toMatchObject({ grade: 'B', inputs: { assessmentId: 'a-9', score: 68 } });
    });
    spec.given([requested()]).when(withHistory).thenThrows('grade-allows-no-credit');
  });

  it('needs a second, different approver above the threshold', () => {
    const first = event('CreditLimitApprovalRecorded', { requestId: REQUEST, customerId: CUSTOMER, approvedBy: 'cm-1', approvedOn: '2026-03-02',
      approvalsRequired: 2, grade: 'B', policyVersion: 0, inputs: expect.any(Object) });
    spec.given([assessed('B'), requested(100_000_001)]).when(approve('cm-1')).then([first]);
    const afterFirst = [assessed('B'), requested(100_000_001), { ...first, data: { ...first.data, inputs: {} } } as any];
    spec.given(afterFirst).when(approve('cm-1')).thenThrows('separation-of-duties');
    spec.given(afterFirst).when(approve('cm-2')).then(([e]) => expect(e.data).toMatchObject({ approvers: ['cm-1', 'cm-2'], approvedBy: 'cm-2', limit: 100_000_001 }));
  });

  it('needs one approval at the threshold itself, and follows a changed threshold', () => {
    spec.given([assessed('B'), requested(100_000_000)]).when(approve('cm-1')).then(([e]) => expect(e.type).toBe('CreditLimitApproved'));
    const stricter = { version: 2, rules: { ...DEFAULT_CREDIT_POLICY, secondApproverThreshold: 1_000 } };
    spec.given([assessed('B'), requested(5_000)]).when(approve('cm-1', null, stricter))
      .then(([e]) => expect(e).toMatchObject({ type: 'CreditLimitApprovalRecorded', data: { policyVersion: 2 } }));
  });

  it('refuses approving twice or a rejected request (409), and an unknown request (404)', () => {
    spec.given([assessed('B'), requested(), limitApproved()]).when(approve('cm-2')).thenThrows('limit-request-already-decided');
    const rejected = event('CreditLimitRejected', { requestId: REQUEST, customerId: CUSTOMER, rejectedBy: 'cm-1', reason: 'no', rejectedOn: '2026-03-02', policyVersion: 0 });
    spec.given([assessed('B'), requested(), rejected]).when(approve('cm-2')).thenThrows('limit-request-already-decided');
    spec.given([assessed('B'), requested(), rejected]).when({ type: 'RejectCreditLimit', data: { requestId: REQUEST, rejectedBy: 'cm-2', reason: 'x', rejectedOn: '2026-03-02' }, context: { policy: POLICY } })
      .thenThrows('limit-request-already-decided');
    spec.given([]).when(approve('cm-1')).thenThrows('limit-request-not-found');
  });

  it('keeps the threshold in force at the first approval for the request: a later, higher one neither drops the second approver nor blurs the refusal', () => {
    const v4 = { version: 4, rules: { ...DEFAULT_CREDIT_POLICY, secondApproverThreshold: 50_000 } };
    const v5 = { version: 5, rules: { ...DEFAULT_CREDIT_POLICY, secondApproverThreshold: 100_000_000 } };
    const first = creditAccountDecider.decide(approve('cm-1', null, v4), [assessed('B'), requested(60_000)].reduce(creditAccountDecider.evolve, creditAccountDecider.initialState()));
    expect(first).toEqual([expect.objectContaining({ type: 'CreditLimitApprovalRecorded', data: expect.objectContaining({ approvalsRequired: 2, policyVersion: 4 }) })]);
    const afterFirst = [assessed('B'), requested(60_000), ...first];
    spec.given(afterFirst).when(approve('cm-1', null, v5)).thenThrows('separation-of-duties');
    const state = afterFirst.reduce(creditAccountDecider.evolve, creditAccountDecider.initialState());
    let refusal: any;
    try { creditAccountDecider.decide(approve('cm-1', null, v5), state); } catch (error) { refusal = error; }
    expect(refusal.message).toMatch(/policy version 4.*threshold of 50000.*governs the request/);
    expect(refusal.message).not.toMatch(/100000000/);
    expect(refusal.details).toMatchObject({ firstApprover: 'cm-1', policyVersion: 4, secondApproverThreshold: 50_000 });
    spec.given(afterFirst).when(approve('cm-2', null, v5)).then(([e]) => expect(e).toMatchObject({ type: 'CreditLimitApproved',
      data: { approvers: ['cm-1', 'cm-2'], policyVersion: 5, inputs: { secondApproverThreshold: 50_000 } } }));
  });

  it('keeps every approval with its date on the request', () => {
    const state = [assessed('B'), requested(100_000_001), event('CreditLimitApprovalRecorded', { requestId: REQUEST, customerId: CUSTOMER, approvedBy: 'cm-1',
      approvedOn: '2026-03-02', approvalsRequired: 2, grade: 'B', policyVersion: 0, inputs: {} as any }), limitApproved(100_000_001, ['cm-1', 'cm-2'])]
      .reduce(creditAccountDecider.evolve, creditAccountDecider.initialState());
    expect(state.requests[REQUEST].approvalRecords).toEqual([{ by: 'cm-1', on: '2026-03-02' }, { by: 'cm-2', on: '2026-03-02' }]);
  });

  it('cites the facts behind the exposure when a lower limit puts the customer on hold', () =>
    spec.given([assessed('B'), requested(50_000)])
      .when(approve('cm-1', facts({ triggeredBy: [], exposure: [{ currency: 'CNY', amount: 95_000 }], exposureEventIds: ['iss-1', 'iss-2'] })))
      .then(([, placed]) => expect(placed).toMatchObject({ type: 'CreditHoldPlaced',
        data: { facts: ['iss-1', 'iss-2'], causes: [{ code: 'exposure-over-limit', eventIds: ['iss-1', 'iss-2'] }] } })));

  it('puts the customer on hold when the new limit is below what is owed', () =>
    spec.given([assessed('B'), requested(1_000)]).when(approve('cm-1', facts({ exposure: [{ currency: 'CNY', amount: 5_000 }] })))
      .then((events) => expect(events.map((e) => e.type)).toEqual(['CreditLimitApproved', 'CreditHoldPlaced'])));
});

describe('holds: causes, provenance and release', () => {
  it('places a hold at dunning level 3 naming the cause, its facts and the policy version', () =>
    spec.given([]).when(evaluate(dunning3)).then(([e]) => expect(e).toEqual(event('CreditHoldPlaced', {
      customerId: CUSTOMER, reason: expect.stringContaining('dunning level 3'), placedOn: '2026-03-10',
      causes: [{ code: 'dunning-level', detail: expect.any(String), eventIds: ['dun-1'] }], facts: ['dun-1'], policyVersion: 0,
      placedBy: 'policy:credit-hold', automatic: true, inputs: expect.objectContaining({ factsVersion: 7, worstDunningLevel: 3 }),
    }))));

  it('holds nothing at dunning level 2, or at 60 days overdue; holds at 61', () => {
    spec.given([]).when(evaluate(facts({ worstDunning: { invoiceId: 'inv-1', level: 2, eventId: 'd' } }))).thenNothingHappened();
    const overdue = (businessDate: string) => facts({ businessDate, oldestUnpaid: { invoiceId: 'inv-1', dueDate: '2026-01-01', eventIds: ['iss-1', 'od-1'] } });
    spec.given([]).when(evaluate(overdue('2026-03-02'))).thenNothingHappened();
    spec.given([]).when(evaluate(overdue('2026-03-03'))).then(([e]) => expect(e.data).toMatchObject({
      causes: [{ code: 'invoice-overdue', eventIds: ['iss-1', 'od-1'] }], facts: ['ev-1', 'iss-1', 'od-1'], inputs: { daysOverdue: 61 } }));
  });

  it('holds when exposure exceeds the limit in its currency, and not for another currency', () => {
    spec.given([limitApproved(10_000)]).when(evaluate(facts({ exposure: [{ currency: 'CNY', amount: 10_001 }] })))
      .then(([e]) => expect(e.data).toMatchObject({ causes: [{ code: 'exposure-over-limit' }] }));
    spec.given([limitApproved(10_000)]).when(evaluate(facts({ exposure: [{ currency: 'CNY', amount: 10_000 }, { currency: 'USD', amount: 99_999 }] })))
      .thenNothingHappened();
  });

  it('releases when every cause has cleared, listing what cleared and the triggering payment', () =>
    spec.given(placedFor()).when(evaluate(facts({ version: 8, triggeredBy: ['pay-1'] }))).then(([e]) => expect(e).toMatchObject({
      type: 'CreditHoldReleased', data: { automatic: true, causes: [{ code: 'dunning-level' }], facts: ['pay-1'], policyVersion: 0, overridden: [] } })));

  it('keeps the hold while one cause remains, recording the change of causes', () => {
    const both = facts({ version: 7, worstDunning: dunning3.worstDunning, businessDate: '2026-03-10',
      oldestUnpaid: { invoiceId: 'inv-2', dueDate: '2026-01-01', eventIds: ['iss-2'] } });
    spec.given(placedFor(both)).when(evaluate(facts({ version: 8, worstDunning: dunning3.worstDunning })))
      .then([expect.objectContaining({ type: 'CreditHoldCausesChanged', data: expect.objectContaining({ added: [], removed: ['invoice-overdue'] }) })] as any);
  });

  it('ignores facts older than those the last decision used (a redelivered event)', () =>
    spec.given(placedFor()).when(evaluate(facts({ version: 6 }))).thenNothingHappened());

  it('counts days overdue to a day close\'s date, on the facts the last decision had', () =>
    spec.given([]).when(evaluate(facts({ businessDate: '2026-02-01', oldestUnpaid: { invoiceId: 'inv-1', dueDate: '2026-01-01', eventIds: ['iss-1'] } }), '2026-03-05'))
      .then(([e]) => expect(e.data).toMatchObject({ causes: [{ code: 'invoice-overdue' }], inputs: { asOfDate: '2026-03-05', daysOverdue: 63 } })));

  it('follows the hold rules of the policy version in force', () => {
    const lenient = { version: 3, rules: { ...DEFAULT_CREDIT_POLICY, holdRules: { ...DEFAULT_CREDIT_POLICY.holdRules, dunningLevel: 4 } } };
    spec.given([]).when(evaluate(dunning3, undefined, lenient)).thenNothingHappened();
  });

  const manual = (reason = 'fraud alert') => ({ type: 'PlaceHold' as const, data: { customerId: CUSTOMER, reason, placedBy: 'cm-1', placedOn: '2026-03-10' }, context: { customerKnown: true, policy: POLICY } });
  const release = { type: 'ReleaseHold' as const, data: { customerId: CUSTOMER, reason: 'cleared by phone', releasedBy: 'cm-2', releasedOn: '2026-03-11' }, context: { customerKnown: true, policy: POLICY } };

  it('releases a manual hold only manually: clearing automatic causes keeps it', () => {
    const history = [...placedFor(), ...creditAccountDecider.decide(manual(), placedFor().reduce(creditAccountDecider.evolve, creditAccountDecider.initialState()))];
    expect(history.map((e) => e.type)).toEqual(['CreditHoldPlaced', 'CreditHoldCausesChanged']);
    spec.given(history).when(evaluate(facts({ version: 8 })))
      .then([expect.objectContaining({ type: 'CreditHoldCausesChanged', data: expect.objectContaining({ removed: ['dunning-level'], causes: [expect.objectContaining({ code: 'manual' })] }) })] as any);
    spec.given(history).when(release).then(([e]) => expect(e).toMatchObject({ type: 'CreditHoldReleased', data: { automatic: false, overridden: ['dunning-level'] } }));
  });

  it('refuses releasing a hold that is not there, and a second manual hold', () => {
    spec.given([]).when(release).thenThrows('no-credit-hold');
    spec.given(creditAccountDecider.decide(manual(), creditAccountDecider.initialState())).when(manual('again')).thenThrows('already-on-hold');
  });

  it('sets automatic causes aside after a manual release until they clear, then holds again when they return', () => {
    const released = [...placedFor(), ...creditAccountDecider.decide(release, placedFor().reduce(creditAccountDecider.evolve, creditAccountDecider.initialState()))];
    spec.given(released).when(evaluate(facts({ version: 8, worstDunning: { invoiceId: 'inv-1', level: 4, eventId: 'dun-2' } }))).thenNothingHappened();
    const lapsed = creditAccountDecider.decide(evaluate(facts({ version: 9 })), released.reduce(creditAccountDecider.evolve, creditAccountDecider.initialState()));
    expect(lapsed.map((e) => e.type)).toEqual(['CreditHoldOverrideLapsed']);
    spec.given([...released, ...lapsed]).when(evaluate(facts({ version: 10, worstDunning: { invoiceId: 'inv-9', level: 3, eventId: 'dun-9' } })))
      .then(([e]) => expect(e.type).toBe('CreditHoldPlaced'));
  });
});

describe('reviews', () => {
  it('records a review due once, on or after the review date', () => {
    spec.given([limitApproved()]).when({ type: 'CloseReviewDay', data: { businessDate: '2027-03-01' } }).thenNothingHappened();
    spec.given([limitApproved()]).when({ type: 'CloseReviewDay', data: { businessDate: '2027-03-02' } }).then([event('CreditReviewBecameDue', {
      customerId: CUSTOMER, requestId: REQUEST, limit: 5_000_000, currency: 'CNY', approvedOn: '2026-03-02', dueOn: '2027-03-02', businessDate: '2027-03-02' })]);
    const due = creditAccountDecider.decide({ type: 'CloseReviewDay', data: { businessDate: '2027-03-05' } }, [limitApproved()].reduce(creditAccountDecider.evolve, creditAccountDecider.initialState()));
    spec.given([limitApproved(), ...due]).when({ type: 'CloseReviewDay', data: { businessDate: '2027-03-06' } }).thenNothingHappened();
  });
});

describe('policy coherence', () => {
  const change = (maxPaymentTermsDays: Record<'A' | 'B' | 'C' | 'D', number>) => ({ type: 'ChangeCreditPolicy' as const,
    data: { policy: { ...DEFAULT_CREDIT_POLICY, maxPaymentTermsDays }, changedBy: 'admin', changedOn: '2026-03-01' } });
  it('refuses terms that rise as grades fall, naming the field', () => {
    deciderSpec(creditPolicyDecider).given([]).when(change({ A: 10, B: 45, C: 30, D: 0 })).thenThrows('invalid-credit-policy', 'maxPaymentTermsDays');
    deciderSpec(creditPolicyDecider).given([]).when(change({ A: 45, B: 45, C: 30, D: 0 })).then(([e]) => expect(e.type).toBe('CreditPolicyChanged'));
  });
});
