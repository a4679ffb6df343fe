import { Inject, Injectable } from '@nestjs/common';
import { EventEnvelope, eventsTopic, isEventOf } from '@crm/contracts';
import { addDays, HOLD_POLICY_ACTOR, holdFactsOf } from '@crm/credit-domain';
import { Policy, PolicyCommand, PolicyCommandContext, streamsDue } from '@crm/eventing';
import { PG_POOL, SERVICE_CONFIG, ServiceConfig } from '@crm/platform';
import { Pool } from 'pg';
import { CreditAccounts, customerOfStream, REVIEW_SCHEDULE } from '../account/credit-accounts';
import { ReceivablesFactsStore } from '../facts/receivables-facts.store';
import { CreditPolicies } from '../policy/credit-policies';
import { CreditBusinessDays } from './credit-business-days';
import { CreditDayCloseRuns } from './credit-day-close-runs';

const POLICY = 'credit-day-close';
const PAGE = 500;
const PROGRESS_EVERY = 100;

/**
 * Credit's day close as work (ADR 13): on `CreditBusinessDayClosed` it records
 * `CreditReviewBecameDue` for the limits whose review date has come (the stream schedule says
 * which), and counts days overdue to the date for customers with an installment unpaid longer
 * than the hold rule allows (time passing is a fact no receivables event reports).
 */
@Injectable()
export class CreditDayClosePolicy implements Policy {
  readonly name = POLICY;
  readonly topics: string[];

  constructor(
    private readonly accounts: CreditAccounts,
    private readonly days: CreditBusinessDays,
    private readonly runs: CreditDayCloseRuns,
    private readonly policies: CreditPolicies,
    private readonly facts: ReceivablesFactsStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.topics = [eventsTopic('credit', config.kafkaTopicPrefix)];
  }

  async handle(event: EventEnvelope): Promise<PolicyCommand[]> {
    if (!isEventOf(event, 'CreditBusinessDayClosed')) return [];
    const { businessDate } = event.data;
    // Replaying history (a new consumer group): a later close already did this date's work.
    const last = await this.days.lastClosed();
    if (last !== null && last > businessDate) {
      await this.runs.start(businessDate, event.id, 0);
      await this.runs.finish(businessDate, 'superseded');
      return [];
    }
    const reviews = new Set(await this.reviewsDue(businessDate));
    const { rules } = await this.policies.current();
    const overdue = new Set(await this.facts.unpaidDueBefore(addDays(businessDate, -rules.holdRules.maxDaysOverdue)));
    const customers = [...new Set([...reviews, ...overdue])].sort();
    await this.runs.start(businessDate, event.id, customers.length);
    const tally = new Tally(this.runs, businessDate);
    return [
      ...customers.map((customerId): PolicyCommand => ({
        key: customerId,
        send: async (context) => {
          const types = [
            ...(reviews.has(customerId) ? await this.closeReview(customerId, businessDate, event, context) : []),
            ...(overdue.has(customerId) ? await this.countOverdue(customerId, businessDate, event, context) : []),
          ];
          await tally.add(types);
        },
      })),
      { key: 'finish', send: async () => { await tally.flush(); await this.runs.finish(businessDate, 'completed'); } },
    ];
  }

  private metadata(context: PolicyCommandContext, actor = `policy:${POLICY}`) {
    return { actor: { id: actor, roles: [] }, correlationId: context.correlationId, causationId: context.causationId };
  }

  private async closeReview(customerId: string, businessDate: string, event: EventEnvelope, context: PolicyCommandContext): Promise<string[]> {
    const types = await this.accounts.execute(customerId, { type: 'CloseReviewDay', data: { businessDate } }, {
      metadata: this.metadata(context), now: event.time, idempotencyKey: `${context.idempotencyKey}:review`, request: { businessDate },
      respond: (events) => events.map((e) => e.type),
    });
    if (types.length === 0) await this.accounts.reschedule(customerId);
    return types;
  }

  private async countOverdue(customerId: string, businessDate: string, event: EventEnvelope, context: PolicyCommandContext): Promise<string[]> {
    const facts = await this.facts.load(customerId);
    if (!facts) return [];
    const policy = await this.policies.current();
    return this.accounts.execute(customerId, {
      type: 'EvaluateHold', data: { facts: holdFactsOf(facts, [event.id]), on: businessDate, businessDate }, context: { policy },
    }, {
      metadata: this.metadata(context, HOLD_POLICY_ACTOR), now: event.time, idempotencyKey: `${context.idempotencyKey}:overdue`,
      // The facts may have moved on by a redelivery: the date is what this command is about.
      request: { businessDate },
      respond: (events) => events.map((e) => e.type),
    });
  }

  private async reviewsDue(businessDate: string): Promise<string[]> {
    const due: string[] = [];
    for (let after: string | null = null; ;) {
      const page = await streamsDue(this.pool, REVIEW_SCHEDULE, businessDate, after, PAGE);
      due.push(...page.map((s) => customerOfStream(s.streamId)));
      if (page.length < PAGE) return due;
      after = page[page.length - 1].streamId;
    }
  }
}

/** Counts what the run recorded, written in steps so progress shows while it runs. */
class Tally {
  private done = 0;
  private recorded: Record<string, number> = {};

  constructor(private readonly runs: CreditDayCloseRuns, private readonly businessDate: string) {}

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
