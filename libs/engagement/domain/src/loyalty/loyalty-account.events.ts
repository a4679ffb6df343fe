import { EngagementEventMap, TypedEvent } from '@crm/contracts';

type LoyaltyAccountEventMap = Pick<EngagementEventMap,
  'LoyaltyPointsEarned' | 'LoyaltyPointsReversed' | 'LoyaltyPointsRedeemed' | 'LoyaltyPointsExpired' | 'LoyaltyTierChanged'
  | 'LoyaltyDowngradePending' | 'LoyaltyDowngradeCancelled'>;

/** Everything loyalty decides about one customer, in one stream (`loyalty-<customerId>`). */
export type LoyaltyAccountEvent = TypedEvent<LoyaltyAccountEventMap>;
export type LoyaltyAccountEventType = LoyaltyAccountEvent['type'];
export const LOYALTY_ACCOUNT_EVENTS: LoyaltyAccountEventType[] = [
  'LoyaltyPointsEarned', 'LoyaltyPointsReversed', 'LoyaltyPointsRedeemed', 'LoyaltyPointsExpired', 'LoyaltyTierChanged',
  'LoyaltyDowngradePending', 'LoyaltyDowngradeCancelled',
];

export function loyaltyEvent<T extends LoyaltyAccountEventType>(type: T, data: Extract<LoyaltyAccountEvent, { type: T }>['data']): LoyaltyAccountEvent {
  return { type, schemaVersion: 1, data } as LoyaltyAccountEvent;
}

/** The business date an event is about: what `?asOf=` compares (a redemption by the day of its instant, UTC). */
export function loyaltyDateOf(e: LoyaltyAccountEvent): string {
  switch (e.type) {
    case 'LoyaltyPointsEarned': return e.data.paidOn;
    case 'LoyaltyPointsReversed': return e.data.reversedOn;
    case 'LoyaltyPointsRedeemed': return e.data.redeemedAt.slice(0, 10);
    case 'LoyaltyPointsExpired': return e.data.businessDate;
    case 'LoyaltyTierChanged': return e.data.on;
    case 'LoyaltyDowngradePending': return e.data.since;
    case 'LoyaltyDowngradeCancelled': return e.data.on;
  }
}
