import { ChurnRiskInputsV1, ChurnSignalCode } from '@crm/contracts';
import { deciderSpec } from '@crm/testing';
import { ChurnFacts } from './churn-facts';
import { churnPolicyDecider, DEFAULT_CHURN_POLICY } from './churn-policy';
import { churnRiskDecider, ChurnRiskEvent } from './churn-risk.decider';
import { breach, CUSTOMER, factsFrom, interaction, monthlyInvoices, score, survey } from './churn.fixtures';

const spec = deciderSpec(churnRiskDecider);
const policySpec = deciderSpec(churnPolicyDecider);
const months = (year: number) => Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);

// Facts as of 2026-03-15 showing exactly the signals named (default weights in brackets).
const ON = '2026-03-15';
const frequency = monthlyInvoices(months(2025)); // [20]; with no interaction also no-recent-interaction [15]
const contacted = [interaction('2026-03-01T08:00:00Z'), '2026-03-01'] as any;
const lowCsat = [survey('csat', 1, '2026-03-02T08:00:00Z'), '2026-03-02'] as any; // [20]
const pastSla = [breach('c-1'), '2026-03-03'] as any; // [20]
const spendOnly = [...monthlyInvoices(months(2024), 1, 10_000), ...monthlyInvoices(['2025-04', '2025-07', '2025-10', '2026-01'], 1, 5_000),
  ...monthlyInvoices(['2026-02', '2026-03'], 1, 1_000)]; // [25]: 22000 against 100000; 2 in the last 3 months against a usual 1.75

const factsFor = (...parts: any[][]) => factsFrom(parts.flat() as any);
const at60 = factsFor(frequency, [contacted], [lowCsat], [pastSla]);
const at45 = factsFor(spendOnly, [contacted], [lowCsat]);
const at40 = factsFor([contacted], [lowCsat], [pastSla]);
const at35 = factsFor(frequency);

const decided = (facts: ChurnFacts, on = ON) => churnRiskDecider.decide(score(facts, on), churnRiskDecider.initialState());
const flagged = (): ChurnRiskEvent => ({ type: 'ChurnRiskFlagged', schemaVersion: 1, data: { customerId: CUSTOMER, accountManager: 'am-li', score: 60,
  signals: [], on: '2026-03-10', causedBy: null, policyVersion: 0 } });
const codesOf = (inputs: ChurnRiskInputsV1) => inputs.signals.map((s) => `${s.code}:${s.points}`);

describe('the score: the points of the signals that show', () => {
  it('adds each signal\'s points under the policy, every one kept in the event with its detail', () => {
    spec.given([]).when(score(at60, ON, DEFAULT_CHURN_POLICY, 'evt-9')).then(([e]) => {
      expect(e.type).toBe('ChurnRiskFlagged');
      expect(e.data).toMatchObject({ customerId: CUSTOMER, accountManager: 'am-li', score: 60, on: ON, causedBy: 'evt-9', policyVersion: 0 });
      expect(codesOf(e.data)).toEqual(['purchase-frequency-drop:20', 'low-satisfaction:20', 'complaint-past-sla:20']);
      expect(e.data.signals.every((s) => s.detail.length > 10)).toBe(true);
    });
  });

  it.each([[45, at45, ['spend-drop:25', 'low-satisfaction:20']], [40, at40, ['low-satisfaction:20', 'complaint-past-sla:20']],
    [35, at35, ['purchase-frequency-drop:20', 'no-recent-interaction:15']]] as const)('scores %i without a flag', (points, facts, signals) => {
    const [e] = decided(facts);
    expect([e.type, e.data.score, codesOf(e.data)]).toEqual(['ChurnRiskScored', points, signals]);
  });

  it('records nothing for a customer with no signal, nor when the score and signals are what they were', () => {
    spec.given([]).when(score(factsFor([contacted]), ON)).thenNothingHappened();
    spec.given(decided(at45)).when(score(at45, ON)).thenNothingHappened();
  });

  it('never scores back in time: an event dated before the last score is scored as of that later date', () => {
    spec.given(decided(at45)).when(score(factsFor(spendOnly, [contacted]), '2026-03-01')).then(([e]) => expect(e.data).toMatchObject({ on: ON, score: 25 }));
  });
});

describe('flag at the policy\'s flagAt, clear below clearBelow (hysteresis)', () => {
  it('flags at exactly 60 and not at 55', () => {
    expect(decided(at60).map((e) => e.type)).toEqual(['ChurnRiskFlagged']);
    expect(decided(factsFor(frequency, [lowCsat]), ON).map((e) => [e.type, e.data.score])).toEqual([['ChurnRiskScored', 55]]);
  });

  it('does not flag again while flagged: a higher score is only a new score', () =>
    spec.given([flagged()]).when(score(factsFor(frequency, [lowCsat], [pastSla]))).then(([e]) => {
      expect([e.type, e.data.score]).toEqual(['ChurnRiskScored', 75]);
    }));

  it('stays flagged at 45 and at 40 (between clearBelow and flagAt)', () => {
    spec.given([flagged()]).when(score(at45)).then(([e]) => expect([e.type, e.data.score]).toEqual(['ChurnRiskScored', 45]));
    spec.given([flagged()]).when(score(at40)).then(([e]) => expect([e.type, e.data.score]).toEqual(['ChurnRiskScored', 40]));
  });

  it('clears below 40, with the signals that remain', () =>
    spec.given([flagged()]).when(score(at35)).then(([e]) => {
      expect(e).toMatchObject({ type: 'ChurnRiskCleared', data: { customerId: CUSTOMER, score: 35, policyVersion: 0 } });
      expect(e.data).not.toHaveProperty('accountManager');
    }));

  it('an unflagged customer stays unflagged at 45 after a clear, and is flagged again at 60', () => {
    const cleared = churnRiskDecider.decide(score(at35), churnRiskDecider.evolve(churnRiskDecider.initialState(), flagged()));
    spec.given([flagged(), ...cleared]).when(score(at45)).then(([e]) => expect(e.type).toBe('ChurnRiskScored'));
    spec.given([flagged(), ...cleared]).when(score(at60)).then(([e]) => expect(e.type).toBe('ChurnRiskFlagged'));
  });
});

describe('the policy: weights and thresholds as data, the version recorded in each decision', () => {
  const weights: Record<ChurnSignalCode, number> = { 'purchase-frequency-drop': 10, 'spend-drop': 10, 'low-satisfaction': 10, 'complaint-past-sla': 60, 'no-recent-interaction': 10 };

  it('scores with the version in force and cites it', () =>
    spec.given([]).when(score(factsFor([contacted], [pastSla]), ON, { version: 3, weights, flagAt: 50, clearBelow: 20 })).then(([e]) => {
      expect(e).toMatchObject({ type: 'ChurnRiskFlagged', data: { score: 60, policyVersion: 3 } });
      expect(codesOf(e.data)).toEqual(['complaint-past-sla:60']);
    }));

  it('records each change as the next version, and the same rules again as nothing', () => {
    policySpec.given([]).when({ type: 'ChangeChurnPolicy', data: { weights, flagAt: 70, clearBelow: 30, changedBy: 'admin-1' } })
      .then([{ type: 'ChurnPolicyChanged', schemaVersion: 1, data: { version: 1, weights, flagAt: 70, clearBelow: 30, changedBy: 'admin-1' } }]);
    policySpec.given([]).when({ type: 'ChangeChurnPolicy', data: { ...DEFAULT_CHURN_POLICY, changedBy: 'admin-1' } }).thenNothingHappened();
  });

  it('refuses weights that do not add up to 100, and a clear threshold above the flag', () => {
    policySpec.given([]).when({ type: 'ChangeChurnPolicy', data: { weights: { ...weights, 'spend-drop': 11 }, flagAt: 60, clearBelow: 40, changedBy: 'a' } })
      .thenThrows('invalid-churn-policy', 'weights');
    policySpec.given([]).when({ type: 'ChangeChurnPolicy', data: { weights, flagAt: 50, clearBelow: 51, changedBy: 'a' } }).thenThrows('invalid-churn-policy', 'clearBelow');
  });
});
