import { addDays, wholeUnits } from '@crm/contracts';
import { loyaltyDateOf, LoyaltyAccountEvent } from './loyalty-account.events';
import { evolveLoyaltyAccount, initialLoyaltyAccount, LoyaltyAccountState, trailing12mPaid } from './loyalty-account.state';
import { LoyaltyPolicy } from './loyalty-policy';
import { nextTierOf } from './loyalty-tiers';

/** A customer's loyalty as GET answers it: from the stream's state, amounts and progress as of `asOf`. */
export function loyaltyView(customerId: string, state: LoyaltyAccountState, asOf: string, policy: LoyaltyPolicy, version: number) {
  const paid = trailing12mPaid(state, asOf);
  const next = state.lots[0];
  const expiring = next ? state.lots.filter((l) => l.expiresOn === next.expiresOn).reduce((n, l) => n + l.points, 0) : 0;
  return {
    customerId,
    asOf,
    tier: state.tier,
    tierSince: state.tierSince,
    tierPolicyVersion: state.tierPolicyVersion,
    points: state.balance,
    shortfall: state.shortfall,
    trailing12mPaid: paid.map((m) => ({ ...m, wholeUnits: wholeUnits(m.amount, m.currency) })),
    nextTier: nextTierOf(state.tier, paid, policy.rules),
    pointsExpiringNext: next ? { points: expiring, on: next.expiresOn } : null,
    downgradePendingSince: state.downgradePendingSince,
    downgradeOn: state.downgradePendingSince ? addDays(state.downgradePendingSince, policy.rules.downgradeGraceDays - 1) : null,
    policyVersion: policy.version,
    version,
  };
}

/**
 * The state as it stood on a past business date: the stream folded in its order up to the
 * first event dated after it. Each event records amounts computed on the state before it (a
 * reversal's points and shortfall depend on the redemptions recorded before it), so only a
 * prefix of the stream is a state that existed: an event dated on or before `asOf` but
 * recorded after a later-dated one is not in that day's view.
 */
export function loyaltyStateAsOf(events: LoyaltyAccountEvent[], asOf: string): { state: LoyaltyAccountState; version: number } {
  const state = initialLoyaltyAccount();
  let version = 0;
  for (const e of events) {
    if (loyaltyDateOf(e) > asOf) break;
    evolveLoyaltyAccount(state, e);
    version++;
  }
  return { state, version };
}
