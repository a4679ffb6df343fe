import { CreditEventMap, CreditPolicyRulesV1, Decider, TypedEvent } from '@crm/contracts';
import { assertCoherentPolicy, CreditPolicy, defaultCreditPolicy } from './credit-policy';

export type CreditPolicyEvent = TypedEvent<Pick<CreditEventMap, 'CreditPolicyChanged'>>;

export interface ChangeCreditPolicy {
  type: 'ChangeCreditPolicy';
  data: { policy: CreditPolicyRulesV1; changedBy: string; changedOn: string };
}

/**
 * The versioned rule sets (one stream): each change is a new version, the stream's own number.
 * The same rules again record nothing.
 */
export const creditPolicyDecider: Decider<CreditPolicy, ChangeCreditPolicy, CreditPolicyEvent> = {
  initialState: defaultCreditPolicy,
  decide({ data }, state) {
    assertCoherentPolicy(data.policy);
    if (JSON.stringify(data.policy) === JSON.stringify(state.rules)) return [];
    return [{ type: 'CreditPolicyChanged', schemaVersion: 1, data: { version: state.version + 1, policy: data.policy, changedBy: data.changedBy, changedOn: data.changedOn } }];
  },
  evolve(_state, e) {
    return { version: e.data.version, rules: e.data.policy };
  },
};
