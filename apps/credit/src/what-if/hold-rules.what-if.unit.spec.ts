import { CreditDecisionDoc } from '@crm/credit-domain';
import { WhatIfPolicyError } from '@crm/platform';
import { holdDecisionsTally, parseHoldRules } from './hold-rules.what-if';

const problems = async (json: unknown) => {
  const error = await parseHoldRules(json).catch((e: unknown) => e);
  if (!(error instanceof WhatIfPolicyError)) throw new Error(`expected a WhatIfPolicyError, got ${String(error)}`);
  return error.problems.map((p) => p.field);
};

describe('credit hold rules what-if policy file (a PUT /v1/credit/policy body, hold rules only)', () => {
  it('keeps the fields sent, refuses what the PUT refuses and anything but holdRules, naming each field', async () => {
    expect(await parseHoldRules({ holdRules: { maxDaysOverdue: 30 } })).toEqual({ maxDaysOverdue: 30 });
    expect(await problems({ holdRules: { dunningLevel: 0, exposureOverLimit: 'yes' } })).toEqual(['holdRules.exposureOverLimit', 'holdRules.dunningLevel']);
    expect(await problems({ holdRules: { maxDays: 3 } })).toEqual(['holdRules.maxDays']);
    expect(await problems({ reviewIntervalMonths: 6, holdRules: {} })).toEqual(['reviewIntervalMonths']);
    expect(await problems({})).toEqual(['holdRules']);
  });
});

describe('holdDecisionsTally', () => {
  const doc = (id: string, decision: CreditDecisionDoc['decision'], rules: unknown, why = 'dunning'): CreditDecisionDoc => ({
    id, customerId: 'c', streamVersion: 1, at: '2026-03-04T00:00:00Z', type: 'x', decision, by: 'policy:credit-hold', automatic: true, why,
    inputs: { factsVersion: 1, rules }, outcome: {}, facts: [], policyVersion: 0,
  });
  it('counts holds not placed and in addition, releases that differ, and decisions alike but for the rules they cite', () => {
    const tally = holdDecisionsTally();
    tally.add(doc('1', 'hold-placed', { dunningLevel: 3 }), null);
    tally.add(null, doc('2', 'hold-placed', { dunningLevel: 2 }));
    tally.add(doc('3', 'hold-released', { dunningLevel: 3 }), null);
    tally.add(doc('4', 'hold-placed', { dunningLevel: 3 }), doc('4', 'hold-placed', { dunningLevel: 2 }));
    tally.add(doc('5', 'hold-placed', { dunningLevel: 3 }), doc('5', 'hold-placed', { dunningLevel: 2 }, 'overdue'));
    expect(tally.counts()).toEqual({ holdsNotPlaced: 1, holdsAdded: 1, holdsOtherCauses: 1, releasesDiffering: 1, otherDecisions: 0, alikeButRules: 1 });
    expect(tally.lines()[0]).toBe('1 holds that would not have been placed, 1 in addition, 1 releases that differ');
  });
});
