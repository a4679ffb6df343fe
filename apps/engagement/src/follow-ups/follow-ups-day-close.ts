import { Inject, Injectable } from '@nestjs/common';
import { stableUuid } from '@crm/engagement-domain';
import { allStreamsDue } from '@crm/eventing';
import { DayCloseContext, DayCloseWork, PG_POOL, SERVICE_CONFIG, ServiceConfig } from '@crm/platform';
import { Pool } from 'pg';
import { EngagementCustomers } from '../customer-directory/engagement-customers';
import { ContactPlanPolicies } from './contact-plan-policies';
import { customerOfInteractionsStream, CustomerEngagements, FOLLOW_UP_SCHEDULE } from './customer-engagements';

/**
 * Follow-ups' part of the day close: the customers whose schedule is due (a follow-up due on or
 * before the date, or the plan's notice date come) are sent `CloseFollowUpDay` — misses
 * (FollowUpMissed) and the contact plan's next follow-up. Nobody else is touched.
 */
@Injectable()
export class FollowUpsDayClose implements DayCloseWork {
  constructor(
    private readonly engagements: CustomerEngagements,
    private readonly customers: EngagementCustomers,
    private readonly policies: ContactPlanPolicies,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async due(businessDate: string): Promise<string[]> {
    return (await allStreamsDue(this.pool, FOLLOW_UP_SCHEDULE, businessDate)).map((s) => customerOfInteractionsStream(s.streamId));
  }

  async close(customerId: string, businessDate: string, context: DayCloseContext): Promise<string[]> {
    const customer = await this.customers.find(customerId);
    const types = await this.engagements.execute(customerId, {
      type: 'CloseFollowUpDay',
      data: { businessDate, planFollowUpId: stableUuid('contact-plan', customerId, businessDate) },
      context: { abcClass: customer?.abcClass ?? null, accountManager: customer?.accountManager ?? null, archived: customer?.archived ?? false,
        timeZone: this.config.businessTimeZone, plan: await this.policies.current() },
    }, {
      metadata: context.metadata, now: context.now, idempotencyKey: context.idempotencyKey, request: { businessDate },
      respond: (events) => events.map((e) => e.type),
    });
    if (types.length === 0) await this.engagements.reschedule(customerId);
    return types;
  }
}
