import { Inject, Injectable } from '@nestjs/common';
import { domainError } from '@crm/contracts';
import {
  customerEngagementDecider, CustomerEngagementCommand, CustomerEngagementEvent, CustomerEngagementState, nextFollowUpWorkOn,
} from '@crm/engagement-domain';
import { CommandHandler, PostgresEventStore } from '@crm/eventing';
import { CustomerStreams, EVENT_STORE, provideCommandHandler } from '@crm/platform';

export const interactionsStream = (customerId: string) => `interactions-${customerId}`;
export const customerOfInteractionsStream = (streamId: string) => streamId.slice('interactions-'.length);
/** Schedule category: the close of a date has work for a customer with a follow-up due or a plan follow-up to schedule. */
export const FOLLOW_UP_SCHEDULE = 'follow-ups';
const FOLLOW_UP_LOOKUP = 'follow-up';
const HANDLER = Symbol('CUSTOMER_ENGAGEMENT_HANDLER');

export const customerEngagementCommandHandler = provideCommandHandler(HANDLER, {
  name: 'customer-engagement',
  decider: customerEngagementDecider,
  snapshots: { schemaVersion: 1 },
  lookups: (e: CustomerEngagementEvent) => (e.type === 'FollowUpScheduled' ? [{ kind: FOLLOW_UP_LOOKUP, id: e.data.followUpId }] : []),
  schedule: { category: FOLLOW_UP_SCHEDULE, nextDueOn: nextFollowUpWorkOn },
});

/** A customer's interactions, follow-ups and contact plan: one stream, partitioned by customer. */
@Injectable()
export class CustomerEngagements extends CustomerStreams<CustomerEngagementState, CustomerEngagementCommand, CustomerEngagementEvent> {
  constructor(
    @Inject(HANDLER) handler: CommandHandler<CustomerEngagementState, CustomerEngagementCommand, CustomerEngagementEvent>,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
  ) {
    super(handler, interactionsStream);
  }

  /** The customer a follow-up belongs to (the lookup is written with the append: read-your-writes), or a 404. */
  async customerOfFollowUp(followUpId: string): Promise<string> {
    const streamId = await this.store.streamOwning(FOLLOW_UP_LOOKUP, followUpId);
    if (!streamId) throw domainError('follow-up-not-found', 'not-found', `follow-up ${followUpId} not found`);
    return customerOfInteractionsStream(streamId);
  }
}
