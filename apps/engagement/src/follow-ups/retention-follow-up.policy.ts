import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, eventsTopic, isEventOf } from '@crm/contracts';
import { stableUuid } from '@crm/engagement-domain';
import { Policy, PolicyCommand } from '@crm/eventing';
import { SERVICE_CONFIG, ServiceConfig } from '@crm/platform';
import { ContactPlanPolicies } from './contact-plan-policies';
import { CustomerEngagements } from './customer-engagements';

const POLICY = 'retention-follow-up';

/**
 * A churn flag (ChurnRiskFlagged on engagement's topic) gives the account manager a retention
 * follow-up: one per flag event (its id names the follow-up and is its source), however often
 * the event is delivered.
 */
@Injectable()
export class RetentionFollowUpPolicy implements Policy {
  readonly name = POLICY;
  readonly topics: string[];

  constructor(private readonly engagements: CustomerEngagements, private readonly policies: ContactPlanPolicies, @Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.topics = [eventsTopic('engagement', config.kafkaTopicPrefix)];
  }

  reactsTo(event: EventEnvelope): boolean {
    return isEventOf(event, 'ChurnRiskFlagged');
  }

  handle(event: EventEnvelope): PolicyCommand[] {
    if (!isEventOf(event, 'ChurnRiskFlagged')) return [];
    const { customerId, accountManager, on } = event.data;
    const data = { followUpId: stableUuid('retention', event.id), customerId, flagEventId: event.id, flaggedOn: on, accountManager };
    return [{
      key: 'retention',
      send: async (context) => this.engagements.execute(customerId, { type: 'ScheduleRetentionFollowUp', data, context: { plan: await this.policies.current() } }, {
        metadata: { actor: { id: `policy:${POLICY}`, roles: [] }, correlationId: context.correlationId, causationId: context.causationId },
        now: event.time, idempotencyKey: context.idempotencyKey, request: data,
        respond: (events) => events.map((e) => e.type),
      }),
    }];
  }
}
