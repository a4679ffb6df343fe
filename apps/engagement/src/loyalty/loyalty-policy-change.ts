import { assertCoherentLoyaltyPolicy, LoyaltyPolicyRules } from '@crm/engagement-domain';
import { LoyaltyPolicyDto } from './loyalty.dto';

const defined = <T extends object>(part: T | undefined) => Object.fromEntries(Object.entries(part ?? {}).filter(([, v]) => v !== undefined));

/**
 * The rules a `PUT /v1/loyalty/policy` body makes of `rules`: what it leaves out keeps its
 * value (`currencyThresholds`, when sent, replaces the list). The what-if reads its file so too.
 */
export function loyaltyRulesChangedBy(rules: LoyaltyPolicyRules, body: LoyaltyPolicyDto): LoyaltyPolicyRules {
  const next: LoyaltyPolicyRules = {
    rates: { ...rules.rates, ...defined(body.rates) },
    thresholds: { ...rules.thresholds, ...defined(body.thresholds) },
    currencyThresholds: body.currencyThresholds?.map(({ currency, Silver, Gold, Platinum }) => ({ currency, Silver, Gold, Platinum })) ?? rules.currencyThresholds,
    expiryMonths: body.expiryMonths ?? rules.expiryMonths,
    downgradeGraceDays: body.downgradeGraceDays ?? rules.downgradeGraceDays,
  };
  assertCoherentLoyaltyPolicy(next);
  return next;
}
