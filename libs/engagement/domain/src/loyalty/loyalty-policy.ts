import { domainError, EngagementEventMap, LoyaltyPolicyChangedV1, TypedEvent, Decider } from '@crm/contracts';

export type LoyaltyPolicyRules = Omit<LoyaltyPolicyChangedV1, 'version' | 'changedBy'>;

/** The rules a decision applies, and the version it cites. */
export interface LoyaltyPolicy { version: number; rules: LoyaltyPolicyRules }

/** The numbers: version 1, in force until the first `LoyaltyPolicyChanged` (which is version 2). */
export const DEFAULT_LOYALTY_RULES: LoyaltyPolicyRules = {
  rates: { onTimePercent: 100, latePercent: 50 },
  thresholds: { Silver: 50_000, Gold: 200_000, Platinum: 1_000_000 },
  currencyThresholds: [],
  expiryMonths: 24,
  downgradeGraceDays: 30,
};

export const defaultLoyaltyPolicy = (): LoyaltyPolicy => ({ version: 1, rules: DEFAULT_LOYALTY_RULES });

function assertRising(t: { Silver: number; Gold: number; Platinum: number }, field: string): void {
  if (!(t.Silver > 0 && t.Gold > t.Silver && t.Platinum > t.Gold)) {
    throw domainError('invalid-loyalty-policy', 'invalid',
      `thresholds must rise from Silver to Platinum and stay above 0; got Silver ${t.Silver}, Gold ${t.Gold}, Platinum ${t.Platinum}`, field);
  }
}

/** What each field's range cannot catch: how the parts fit together. */
export function assertCoherentLoyaltyPolicy(rules: LoyaltyPolicyRules): void {
  assertRising(rules.thresholds, 'thresholds');
  rules.currencyThresholds.forEach((t, i) => assertRising(t, `currencyThresholds[${i}]`));
  const currencies = rules.currencyThresholds.map((t) => t.currency);
  const repeated = currencies.findIndex((c, i) => currencies.indexOf(c) !== i);
  if (repeated >= 0) throw domainError('invalid-loyalty-policy', 'invalid', `currency ${currencies[repeated]} has two sets of thresholds`, `currencyThresholds[${repeated}].currency`);
  if (rules.rates.latePercent > rules.rates.onTimePercent) {
    throw domainError('invalid-loyalty-policy', 'invalid', 'a late payment cannot earn more than one on time', 'rates.latePercent');
  }
}

export type LoyaltyPolicyEvent = TypedEvent<Pick<EngagementEventMap, 'LoyaltyPolicyChanged'>>;
export interface ChangeLoyaltyPolicy { type: 'ChangeLoyaltyPolicy'; data: { rules: LoyaltyPolicyRules; changedBy: string } }

/** The versioned rule sets (stream `loyalty-policy`): each change is the next version; the same rules again record nothing. */
export const loyaltyPolicyDecider: Decider<LoyaltyPolicy, ChangeLoyaltyPolicy, LoyaltyPolicyEvent> = {
  initialState: defaultLoyaltyPolicy,
  decide({ data }, state) {
    assertCoherentLoyaltyPolicy(data.rules);
    if (JSON.stringify(data.rules) === JSON.stringify(state.rules)) return [];
    return [{ type: 'LoyaltyPolicyChanged', schemaVersion: 1, data: { version: state.version + 1, ...data.rules, changedBy: data.changedBy } }];
  },
  evolve(_state, { data: { version, changedBy: _by, ...rules } }) {
    return { version, rules };
  },
};
