import { Inject, Injectable } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import { closeGate, CommandHandler } from '@crm/eventing';
import { provideCommandHandler } from '@crm/platform';
import {
  AccountingPeriodEvent, AccountingPeriods as PeriodsState, accountingPeriodsDecider, ClosePeriod, PERIOD_GATE,
} from '@crm/receivables-domain';

/** One stream of closed accounting periods for the whole ledger. */
export const PERIODS_STREAM = 'receivables-accounting-periods';
const PERIODS_HANDLER = Symbol('PERIODS_HANDLER');

export const accountingPeriodsHandler = provideCommandHandler(PERIODS_HANDLER, { name: 'receivables-accounting-periods', decider: accountingPeriodsDecider });

/** How a period stands; `alreadyClosed` on a close that found it closed (and recorded nothing). */
export interface PeriodStatus { period: string; closed: boolean; closedBy: string | null; closedOn: string | null; alreadyClosed?: boolean }

/** Closes accounting periods; the gate each close shuts is what dated entries check in their appends (ADR 26). */
@Injectable()
export class AccountingPeriods {
  constructor(@Inject(PERIODS_HANDLER) private readonly handler: CommandHandler<PeriodsState, ClosePeriod, AccountingPeriodEvent>) {}

  close(period: string, options: { metadata: EventMetadata; now: string; today: string; idempotencyKey?: string }): Promise<PeriodStatus> {
    let earlier: PeriodsState['closed'][string] | undefined;
    return this.handler.execute({
      streamId: PERIODS_STREAM, partitionKey: PERIODS_STREAM,
      command: { type: 'ClosePeriod', data: { period, closedBy: options.metadata.actor.id, closedOn: options.today } },
      metadata: { ...options.metadata, command: 'ClosePeriod' }, now: options.now,
      idempotency: options.idempotencyKey ? { scope: 'ClosePeriod', key: options.idempotencyKey, request: { period } } : undefined,
      // Shut in the close's own transaction: it waits for appends reading the gate, and later ones see it shut.
      prepare: async (tx, command, state) => {
        earlier = state.closed[period];
        await closeGate(tx, { kind: PERIOD_GATE, id: period, streamId: PERIODS_STREAM });
        return command;
      },
      respond: (events): PeriodStatus => {
        const closing = events.length > 0 ? events[0].data : earlier!;
        return { period, closed: true, closedBy: closing.closedBy, closedOn: closing.closedOn, alreadyClosed: events.length === 0 };
      },
    });
  }

  async status(period: string): Promise<PeriodStatus> {
    const closed = (await this.handler.load(PERIODS_STREAM)).state.closed[period];
    return { period, closed: closed !== undefined, closedBy: closed?.closedBy ?? null, closedOn: closed?.closedOn ?? null };
  }
}
