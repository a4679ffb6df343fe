import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, eventsTopic, isEventOf } from '@crm/contracts';
import { Policy, PolicyCommand, PolicyCommandContext, streamsDue } from '@crm/eventing';
import { PG_POOL, SERVICE_CONFIG, ServiceConfig } from '@crm/platform';
import { Pool } from 'pg';
import { ACCOUNT_SCHEDULE, AccountCommands } from '../account/account-commands';
import { BusinessDays } from './business-days';
import { DayCloseRuns } from './day-close-runs';

const POLICY = 'receivables-day-close';
const PAGE = 500;
/** Progress is written every so many accounts (and at the end), not per account. */
const PROGRESS_EVERY = 100;

/**
 * Day close as work, not a request: on `BusinessDayClosed` it sends `CloseDay` to the accounts
 * whose schedule says something falls due by that date — not to every account. A redelivered
 * event (a crash mid-run) resumes: accounts already closed are no longer due, and each
 * command's idempotency key (event id + account) answers with its first result.
 */
@Injectable()
export class DayClosePolicy implements Policy {
  readonly name = POLICY;
  readonly topics: string[];

  constructor(
    private readonly accounts: AccountCommands,
    private readonly days: BusinessDays,
    private readonly runs: DayCloseRuns,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.topics = [eventsTopic('receivables', config.kafkaTopicPrefix)];
  }

  async handle(event: EventEnvelope): Promise<PolicyCommand[]> {
    if (!isEventOf(event, 'BusinessDayClosed')) return [];
    const { businessDate } = event.data;
    // Replaying history (a new consumer group): a later close already did this date's work.
    const last = await this.days.lastClosed();
    if (last !== null && last > businessDate) {
      await this.runs.start(businessDate, event.id, 0);
      await this.runs.finish(businessDate, 'superseded');
      return [];
    }
    const due = await this.allDue(businessDate);
    await this.runs.start(businessDate, event.id, due.length);
    const tally = new Tally(this.runs, businessDate);
    return [
      ...due.map(({ customerId, partitionKey }): PolicyCommand => ({
        key: customerId,
        send: async (context) => tally.add(await this.closeAccount(customerId, partitionKey, businessDate, event, context)),
      })),
      { key: 'finish', send: async () => { await tally.flush(); await this.runs.finish(businessDate, 'completed'); } },
    ];
  }

  private async closeAccount(customerId: string, partitionKey: string, businessDate: string, event: EventEnvelope, context: PolicyCommandContext) {
    const types = await this.accounts.execute<string[]>(customerId, { type: 'CloseDay', data: { businessDate } }, {
      metadata: { actor: { id: `policy:${POLICY}`, roles: [] }, correlationId: context.correlationId, causationId: context.causationId },
      // Business time of the close, from the causing event: a replay records the same instant.
      now: event.time,
      idempotencyKey: context.idempotencyKey,
      request: { businessDate },
      respond: (events) => events.map((e) => e.type),
    });
    // Nothing recorded means nothing appended, so no append moved the schedule: move it here.
    if (types.length === 0) await this.accounts.reschedule(customerId, partitionKey);
    return types;
  }

  private async allDue(businessDate: string): Promise<Array<{ customerId: string; partitionKey: string }>> {
    const due: Array<{ customerId: string; partitionKey: string }> = [];
    for (let after: string | null = null; ;) {
      const page = await streamsDue(this.pool, ACCOUNT_SCHEDULE, businessDate, after, PAGE);
      due.push(...page.map((s) => ({ customerId: s.streamId.slice('account-'.length), partitionKey: s.partitionKey })));
      if (page.length < PAGE) return due;
      after = page[page.length - 1].streamId;
    }
  }
}

/** Counts what the run recorded, written in steps so progress shows while it runs. */
class Tally {
  private done = 0;
  private recorded: Record<string, number> = {};

  constructor(private readonly runs: DayCloseRuns, private readonly businessDate: string) {}

  async add(types: string[]): Promise<void> {
    this.done++;
    for (const type of types) this.recorded[type] = (this.recorded[type] ?? 0) + 1;
    if (this.done >= PROGRESS_EVERY) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.done === 0) return;
    const [done, recorded] = [this.done, this.recorded];
    this.done = 0;
    this.recorded = {};
    await this.runs.progress(this.businessDate, done, recorded);
  }
}
