import { Inject, Injectable } from '@nestjs/common';
import { allStreamsDue } from '@crm/eventing';
import { DayCloseContext, DayCloseWork, PG_POOL } from '@crm/platform';
import { Pool } from 'pg';
import { LOYALTY_SCHEDULE, LoyaltyAccounts } from './loyalty-accounts';
import { LoyaltyPolicies } from './loyalty-policies';

/**
 * Loyalty's part of the day close: the customers whose schedule is due — points expiring, a
 * downgrade pending, or amounts leaving the 12-month window that take them below their tier —
 * and no one else.
 */
@Injectable()
export class LoyaltyDayClose implements DayCloseWork {
  constructor(private readonly accounts: LoyaltyAccounts, private readonly policies: LoyaltyPolicies, @Inject(PG_POOL) private readonly pool: Pool) {}

  async due(businessDate: string): Promise<string[]> {
    return (await allStreamsDue(this.pool, LOYALTY_SCHEDULE, businessDate)).map((s) => s.partitionKey);
  }

  async close(customerId: string, businessDate: string, context: DayCloseContext): Promise<string[]> {
    const policy = await this.policies.current();
    const types = await this.accounts.execute(customerId, { type: 'CloseLoyaltyDay', data: { customerId, businessDate }, context: { policy } }, {
      metadata: context.metadata, now: context.now, idempotencyKey: context.idempotencyKey, request: { businessDate },
      respond: (events) => events.map((e) => e.type),
    });
    // Nothing recorded means nothing appended, so no append moved the schedule: move it here.
    if (types.length === 0) await this.accounts.reschedule(customerId);
    return types;
  }
}
