import { EventEnvelope, isEventOf, LoyaltyTier } from '@crm/contracts';
import { LOYALTY_ACCOUNT_EVENTS } from './loyalty-account.events';

/** One row per customer loyalty has heard of: the tier list's index. */
export interface LoyaltyMemberDoc {
  customerId: string;
  tier: LoyaltyTier;
  tierSince: string | null;
  points: number;
  policyVersion: number | null;
  downgradePendingSince: string | null;
}

const POINTS_EVENTS = ['LoyaltyPointsEarned', 'LoyaltyPointsReversed', 'LoyaltyPointsRedeemed', 'LoyaltyPointsExpired'] as const;

/** Loyalty's own events, and customers' registrations: a registered customer is a Member before its first payment. */
export const loyaltyMemberKey = (e: EventEnvelope) =>
  (isEventOf(e, 'CustomerRegistered', ...LOYALTY_ACCOUNT_EVENTS) ? e.data.customerId : undefined);

export function evolveLoyaltyMember(doc: LoyaltyMemberDoc | undefined, e: EventEnvelope): LoyaltyMemberDoc | null {
  if (!isEventOf(e, 'CustomerRegistered', ...LOYALTY_ACCOUNT_EVENTS)) return doc ?? null;
  const next: LoyaltyMemberDoc = doc ?? { customerId: e.data.customerId, tier: 'Member', tierSince: null, points: 0, policyVersion: null, downgradePendingSince: null };
  if (isEventOf(e, 'LoyaltyTierChanged')) return { ...next, tier: e.data.tier, tierSince: e.data.on, policyVersion: e.data.policyVersion, downgradePendingSince: null };
  if (isEventOf(e, 'LoyaltyDowngradePending')) return { ...next, downgradePendingSince: e.data.since };
  if (isEventOf(e, 'LoyaltyDowngradeCancelled')) return { ...next, downgradePendingSince: null };
  if (isEventOf(e, ...POINTS_EVENTS)) return { ...next, points: e.data.balance };
  return next;
}
