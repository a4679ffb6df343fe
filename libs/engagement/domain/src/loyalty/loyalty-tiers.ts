import { LOYALTY_TIERS, LoyaltyTier, MoneyAmountV1, wholeUnits } from '@crm/contracts';
import { LoyaltyPolicyRules } from './loyalty-policy';

export type Thresholds = { Silver: number; Gold: number; Platinum: number };
export const tierRank = (tier: LoyaltyTier) => LOYALTY_TIERS.indexOf(tier);

export function thresholdsFor(rules: LoyaltyPolicyRules, currency: string): Thresholds {
  return rules.currencyThresholds.find((t) => t.currency === currency) ?? rules.thresholds;
}

function tierOfUnits(units: number, t: Thresholds): LoyaltyTier {
  if (units >= t.Platinum) return 'Platinum';
  if (units >= t.Gold) return 'Gold';
  if (units >= t.Silver) return 'Silver';
  return 'Member';
}

export interface TierDecision { tier: LoyaltyTier; decidingCurrency: string | null; threshold: number }

/**
 * The tier of trailing-12-month amounts: each currency on its own (in whole units, against that
 * currency's thresholds if the policy sets them), the best tier wins; a tie goes to the currency
 * first by code.
 */
export function tierFor(paid: MoneyAmountV1[], rules: LoyaltyPolicyRules): TierDecision {
  let best: TierDecision = { tier: 'Member', decidingCurrency: null, threshold: 0 };
  for (const { currency, amount } of [...paid].sort((a, b) => a.currency.localeCompare(b.currency))) {
    const thresholds = thresholdsFor(rules, currency);
    const tier = tierOfUnits(wholeUnits(amount, currency), thresholds);
    if (tier !== 'Member' && tierRank(tier) > tierRank(best.tier)) best = { tier, decidingCurrency: currency, threshold: thresholds[tier] };
  }
  return best;
}

/** Whole units that keep `tier` (what a later day close's schedule compares against). */
export function keepThresholdsOf(rules: LoyaltyPolicyRules, tier: LoyaltyTier): { default: number; currencies: MoneyAmountV1[] } {
  if (tier === 'Member') return { default: 0, currencies: [] };
  return { default: rules.thresholds[tier], currencies: rules.currencyThresholds.map((t) => ({ currency: t.currency, amount: t[tier] })) };
}

/** The next tier up and how far the closest currency is from it (progress 0–1), null at Platinum. */
export function nextTierOf(tier: LoyaltyTier, paid: MoneyAmountV1[], rules: LoyaltyPolicyRules) {
  if (tier === 'Platinum') return null;
  const next = LOYALTY_TIERS[tierRank(tier) + 1] as Exclude<LoyaltyTier, 'Member'>;
  const candidates = (paid.length ? paid : [{ currency: null as string | null, amount: 0 }]).map(({ currency, amount }) => {
    const threshold = currency ? thresholdsFor(rules, currency)[next] : rules.thresholds[next];
    const units = currency ? wholeUnits(amount, currency) : 0;
    return { tier: next, currency, threshold, paid: units, remaining: Math.max(0, threshold - units), progress: Math.min(1, Math.floor((units / threshold) * 10_000) / 10_000) };
  });
  return candidates.sort((a, b) => b.progress - a.progress || String(a.currency).localeCompare(String(b.currency)))[0];
}
