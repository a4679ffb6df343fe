import { Inject, Injectable } from '@nestjs/common';
import { allStreamsDue } from '@crm/eventing';
import { DayCloseContext, DayCloseWork, PG_POOL } from '@crm/platform';
import { Pool } from 'pg';
import { ACCOUNT_SCHEDULE, AccountCommands } from '../account/account-commands';

/**
 * Receivables' day close (ADR 13): `CloseDay` for each account whose schedule says something
 * falls due by the date (overdue, dunning, promise outcomes) — not for every account.
 */
@Injectable()
export class AccountDayClose implements DayCloseWork {
  constructor(private readonly accounts: AccountCommands, @Inject(PG_POOL) private readonly pool: Pool) {}

  async due(businessDate: string): Promise<string[]> {
    return (await allStreamsDue(this.pool, ACCOUNT_SCHEDULE, businessDate)).map((s) => s.partitionKey);
  }

  async close(customerId: string, businessDate: string, context: DayCloseContext): Promise<string[]> {
    const types = await this.accounts.execute<string[]>(customerId, { type: 'CloseDay', data: { businessDate } }, {
      metadata: context.metadata, now: context.now, idempotencyKey: context.idempotencyKey, request: { businessDate },
      respond: (events) => events.map((e) => e.type),
    });
    // Nothing recorded means nothing appended, so no append moved the schedule: move it here.
    if (types.length === 0) await this.accounts.reschedule(customerId);
    return types;
  }
}
