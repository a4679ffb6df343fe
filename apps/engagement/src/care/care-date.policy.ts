import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, eventsTopic, isEventOf } from '@crm/contracts';
import { stableUuid } from '@crm/engagement-domain';
import { Policy, PolicyCommand } from '@crm/eventing';
import { SERVICE_CONFIG, ServiceConfig } from '@crm/platform';
import { CareStreams } from './care-streams';

const POLICY = 'care-dates';

/**
 * Customers announce a contact's care date on their day close (ContactCareDateDue, with the
 * consented channels and no personal value); engagement makes it a greeting task, once per
 * contact and date (the task id is made from them, and the stream refuses a second).
 */
@Injectable()
export class CareDatePolicy implements Policy {
  readonly name = POLICY;
  readonly topics: string[];

  constructor(private readonly streams: CareStreams, @Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.topics = [eventsTopic('customers', config.kafkaTopicPrefix)];
  }

  reactsTo(event: EventEnvelope): boolean {
    return isEventOf(event, 'ContactCareDateDue');
  }

  handle(event: EventEnvelope): PolicyCommand[] {
    if (!isEventOf(event, 'ContactCareDateDue')) return [];
    const { customerId, contactId, on, channels } = event.data;
    const data = { taskId: stableUuid('birthday', contactId, on), customerId, contactId, on, channels, causedBy: event.id };
    return [{
      key: 'birthday',
      send: (context) => this.streams.createTask({ type: 'CreateBirthdayTask', data }, {
        metadata: { actor: { id: `policy:${POLICY}`, roles: [] }, correlationId: context.correlationId, causationId: context.causationId },
        now: event.time, idempotencyKey: context.idempotencyKey, request: data,
      }),
    }];
  }
}
