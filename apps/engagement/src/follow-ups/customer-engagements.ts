import { Inject, Injectable } from '@nestjs/common';
import { domainError, EventMetadata } from '@crm/contracts';
import {
  customerEngagementDecider, CustomerEngagementCommand, CustomerEngagementEvent, CustomerEngagementState, nextFollowUpWorkOn,
} from '@crm/engagement-domain';
import { CommandHandler, PostgresEventStore, VersionedState } from '@crm/eventing';
import { EVENT_STORE, provideCommandHandler } from '@crm/platform';

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

export interface EngagementCommandOptions<R> {
  metadata: EventMetadata;
  now: string;
  idempotencyKey?: string;
  request?: unknown;
  respond: (events: CustomerEngagementEvent[], version: number) => R;
}

/** A customer's interactions, follow-ups and contact plan: one stream, partitioned by customer. */
@Injectable()
export class CustomerEngagements {
  constructor(
    @Inject(HANDLER) private readonly handler: CommandHandler<CustomerEngagementState, CustomerEngagementCommand, CustomerEngagementEvent>,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
  ) {}

  execute<R>(customerId: string, command: CustomerEngagementCommand, options: EngagementCommandOptions<R>): Promise<R> {
    return this.handler.execute({
      streamId: interactionsStream(customerId), partitionKey: customerId, command,
      metadata: { ...options.metadata, command: command.type }, now: options.now,
      idempotency: options.idempotencyKey ? { scope: command.type, key: options.idempotencyKey, request: options.request ?? null } : undefined,
      respond: options.respond,
    });
  }

  load(customerId: string): Promise<VersionedState<CustomerEngagementState>> {
    return this.handler.load(interactionsStream(customerId));
  }

  reschedule(customerId: string): Promise<string | null> {
    return this.handler.reschedule(interactionsStream(customerId), customerId);
  }

  /** The customer a follow-up belongs to (the lookup is written with the append: read-your-writes), or a 404. */
  async customerOfFollowUp(followUpId: string): Promise<string> {
    const streamId = await this.store.streamOwning(FOLLOW_UP_LOOKUP, followUpId);
    if (!streamId) throw domainError('follow-up-not-found', 'not-found', `follow-up ${followUpId} not found`);
    return customerOfInteractionsStream(streamId);
  }
}
