import { assertCoherentLoyaltyPolicy, LoyaltyPolicyRules } from '@crm/engagement-domain';
import { mergeSent } from '@crm/platform';
import { LoyaltyPolicyDto } from './loyalty.dto';

/**
 * The rules a `PUT /v1/loyalty/policy` body makes of `rules`: what it leaves out keeps its
 * value (`currencyThresholds`, when sent, replaces the list). The what-if reads its file so too.
 */
export function loyaltyRulesChangedBy(rules: LoyaltyPolicyRules, body: LoyaltyPolicyDto): LoyaltyPolicyRules {
  const next: LoyaltyPolicyRules = {
    rates: mergeSent(rules.rates, body.rates),
    thresholds: mergeSent(rules.thresholds, body.thresholds),
    currencyThresholds: body.currencyThresholds?.map(({ currency, Silver, Gold, Platinum }) => ({ currency, Silver, Gold, Platinum })) ?? rules.currencyThresholds,
    expiryMonths: body.expiryMonths ?? rules.expiryMonths,
    downgradeGraceDays: body.downgradeGraceDays ?? rules.downgradeGraceDays,
  };
  assertCoherentLoyaltyPolicy(next);
  return next;
}
