import { CHURN_SIGNALS, ChurnSignalCode, Decider, domainError, EngagementEventMap, TypedEvent } from '@crm/contracts';

/** The rules a churn score applies, and the version it cites (the built-in defaults are version 0). */
export interface ChurnPolicy {
  version: number;
  weights: Record<ChurnSignalCode, number>;
  flagAt: number;
  clearBelow: number;
}

export const DEFAULT_CHURN_POLICY: ChurnPolicy = {
  version: 0,
  weights: { 'purchase-frequency-drop': 20, 'spend-drop': 25, 'low-satisfaction': 20, 'complaint-past-sla': 20, 'no-recent-interaction': 15 },
  flagAt: 60,
  clearBelow: 40,
};

export const defaultChurnPolicy = (): ChurnPolicy => ({ ...DEFAULT_CHURN_POLICY, weights: { ...DEFAULT_CHURN_POLICY.weights } });

export type ChurnPolicyEvent = TypedEvent<Pick<EngagementEventMap, 'ChurnPolicyChanged'>>;

export interface ChangeChurnPolicy {
  type: 'ChangeChurnPolicy';
  data: { weights: Record<ChurnSignalCode, number>; flagAt: number; clearBelow: number; changedBy: string };
}

/** What each field's own range cannot catch: the score is 0–100, and the clear threshold is not above the flag. */
export function assertCoherentChurnPolicy({ weights, flagAt, clearBelow }: ChangeChurnPolicy['data']): void {
  const total = CHURN_SIGNALS.reduce((n, s) => n + weights[s], 0);
  if (total !== 100) {
    throw domainError('invalid-churn-policy', 'invalid', `weights must add up to 100 (the score is 0–100); they add up to ${total}`, 'weights');
  }
  if (clearBelow > flagAt) {
    throw domainError('invalid-churn-policy', 'invalid', `clearBelow (${clearBelow}) must not be above flagAt (${flagAt})`, 'clearBelow');
  }
}

/** The versioned churn rules (stream `churn-policy`): each change is the next version; the same rules again record nothing. */
export const churnPolicyDecider: Decider<ChurnPolicy, ChangeChurnPolicy, ChurnPolicyEvent> = {
  initialState: defaultChurnPolicy,
  decide({ data }, state) {
    assertCoherentChurnPolicy(data);
    const same = data.flagAt === state.flagAt && data.clearBelow === state.clearBelow && CHURN_SIGNALS.every((s) => data.weights[s] === state.weights[s]);
    if (same) return [];
    const weights = Object.fromEntries(CHURN_SIGNALS.map((s) => [s, data.weights[s]])) as Record<ChurnSignalCode, number>;
    return [{ type: 'ChurnPolicyChanged', schemaVersion: 1, data: { version: state.version + 1, weights, flagAt: data.flagAt, clearBelow: data.clearBelow, changedBy: data.changedBy } }];
  },
  evolve(state, { data }) {
    state.version = data.version;
    state.weights = { ...data.weights };
    state.flagAt = data.flagAt;
    state.clearBelow = data.clearBelow;
    return state;
  },
};
