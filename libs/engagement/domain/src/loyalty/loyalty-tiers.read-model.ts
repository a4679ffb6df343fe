import { EventEnvelope, isEventOf, LoyaltyTier } from '@crm/contracts';
import { LOYALTY_ACCOUNT_EVENTS, LoyaltyAccountEvent } from './loyalty-account.events';

/** One row per customer loyalty has heard of: the tier list's index. */
export interface LoyaltyMemberDoc {
  customerId: string;
  tier: LoyaltyTier;
  tierSince: string | null;
  points: number;
  policyVersion: number | null;
  downgradePendingSince: string | null;
}

/** Loyalty's own events, and customers' registrations: a registered customer is a Member before its first payment. */
export const loyaltyMemberKey = (e: EventEnvelope) => {
  if (isEventOf(e, 'CustomerRegistered')) return e.data.customerId;
  return (LOYALTY_ACCOUNT_EVENTS as string[]).includes(e.type) ? (e.data as { customerId: string }).customerId : undefined;
};

export function evolveLoyaltyMember(doc: LoyaltyMemberDoc | undefined, envelope: EventEnvelope): LoyaltyMemberDoc {
  const member = (customerId: string): LoyaltyMemberDoc => ({ customerId, tier: 'Member', tierSince: null, points: 0, policyVersion: null, downgradePendingSince: null });
  if (isEventOf(envelope, 'CustomerRegistered')) return doc ?? member(envelope.data.customerId);
  const e = envelope as unknown as LoyaltyAccountEvent;
  const next: LoyaltyMemberDoc = doc ?? member(e.data.customerId);
  switch (e.type) {
    case 'LoyaltyTierChanged':
      return { ...next, tier: e.data.tier, tierSince: e.data.on, policyVersion: e.data.policyVersion, downgradePendingSince: null };
    case 'LoyaltyDowngradePending':
      return { ...next, downgradePendingSince: e.data.since };
    case 'LoyaltyDowngradeCancelled':
      return { ...next, downgradePendingSince: null };
    default:
      return { ...next, points: e.data.balance };
  }
}
