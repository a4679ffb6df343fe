import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, eventsTopic, isEventOf } from '@crm/contracts';
import { UpdateContactPlan } from '@crm/engagement-domain';
import { Policy, PolicyCommand } from '@crm/eventing';
import { businessDate, SERVICE_CONFIG, ServiceConfig } from '@crm/platform';
import { ContactPlanPolicies } from './contact-plan-policies';
import { CustomerEngagements } from './customer-engagements';

const POLICY = 'contact-plan';

/**
 * Customers' registration, class changes and archiving set each customer's contact plan
 * (ContactPlanChanged in its interactions stream), whose schedule tells the day close when the
 * plan's next follow-up is due. Safe on history: the same change again records nothing.
 */
@Injectable()
export class ContactPlanPolicy implements Policy {
  readonly name = POLICY;
  readonly topics: string[];

  constructor(
    private readonly engagements: CustomerEngagements,
    private readonly policies: ContactPlanPolicies,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {
    this.topics = [eventsTopic('customers', config.kafkaTopicPrefix)];
  }

  reactsTo(event: EventEnvelope): boolean {
    return isEventOf(event, 'CustomerRegistered', 'CustomerAbcClassChanged', 'CustomerArchived', 'CustomerReactivated');
  }

  handle(event: EventEnvelope): PolicyCommand[] {
    const change = this.changeOf(event);
    if (!change) return [];
    return [{
      key: 'plan',
      send: async (context) => this.engagements.execute(change.customerId, { type: 'UpdateContactPlan', data: change, context: { plan: await this.policies.current() } }, {
        metadata: { actor: { id: `policy:${POLICY}`, roles: [] }, correlationId: context.correlationId, causationId: context.causationId },
        now: event.time, idempotencyKey: context.idempotencyKey, request: change,
        respond: (events) => events.map((e) => e.type),
      }),
    }];
  }

  private changeOf(event: EventEnvelope): UpdateContactPlan['data'] | null {
    const on = businessDate(new Date(event.time), this.config.businessTimeZone);
    const base = { eventId: event.id, on };
    if (isEventOf(event, 'CustomerRegistered')) return { ...base, customerId: event.data.customerId, kind: 'registration' };
    if (isEventOf(event, 'CustomerAbcClassChanged')) return { ...base, customerId: event.data.customerId, kind: 'class-change', abcClass: event.data.abcClass };
    if (isEventOf(event, 'CustomerArchived')) return { ...base, customerId: event.data.customerId, kind: 'archived' };
    if (isEventOf(event, 'CustomerReactivated')) return { ...base, customerId: event.data.customerId, kind: 'reactivated' };
    return null;
  }
}
