import { EngagementEventMap, TypedEvent } from '@crm/contracts';

type CustomerEngagementEventMap = Pick<EngagementEventMap,
  'InteractionRecorded' | 'FollowUpScheduled' | 'FollowUpCompleted' | 'FollowUpMissed' | 'ContactPlanChanged'>;

/** A customer's interactions, follow-ups and contact plan, in one stream (`interactions-<customerId>`). */
export type CustomerEngagementEvent = TypedEvent<CustomerEngagementEventMap>;

export function engagementEvent<T extends CustomerEngagementEvent['type']>(type: T, data: CustomerEngagementEventMap[T]): CustomerEngagementEvent {
  return { type, schemaVersion: 1, data } as CustomerEngagementEvent;
}
