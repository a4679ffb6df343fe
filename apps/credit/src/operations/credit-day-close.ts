import { Inject, Injectable } from '@nestjs/common';
import { addDays } from '@crm/contracts';
import { HOLD_POLICY_ACTOR, holdFactsOf } from '@crm/credit-domain';
import { allStreamsDue } from '@crm/eventing';
import { DayCloseContext, DayCloseWork, PG_POOL } from '@crm/platform';
import { Pool } from 'pg';
import { CreditAccounts, customerOfStream, REVIEW_SCHEDULE } from '../account/credit-accounts';
import { ReceivablesFactsStore } from '../facts/receivables-facts.store';
import { CreditPolicies } from '../policy/credit-policies';

interface Plan { reviews: Set<string>; overdue: Set<string> }

/**
 * Credit's day close (ADR 13, ADR 15): `CreditReviewBecameDue` for the limits whose review date
 * has come (the stream schedule says which), and days overdue counted to the date for customers
 * with an installment unpaid longer than the hold rule allows (time passing is a fact no
 * receivables event reports).
 */
@Injectable()
export class CreditDayClose implements DayCloseWork {
  /** What `due` found for each date, for the `close` calls that follow it in the same run. */
  private readonly plans = new Map<string, Plan>();

  constructor(
    private readonly accounts: CreditAccounts,
    private readonly policies: CreditPolicies,
    private readonly facts: ReceivablesFactsStore,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async due(businessDate: string): Promise<string[]> {
    const reviews = new Set((await allStreamsDue(this.pool, REVIEW_SCHEDULE, businessDate)).map((s) => customerOfStream(s.streamId)));
    const { rules } = await this.policies.current();
    const overdue = new Set(await this.facts.unpaidDueBefore(addDays(businessDate, -rules.holdRules.maxDaysOverdue)));
    this.plans.clear();
    this.plans.set(businessDate, { reviews, overdue });
    return [...new Set([...reviews, ...overdue])].sort();
  }

  async close(customerId: string, businessDate: string, context: DayCloseContext): Promise<string[]> {
    const plan = this.plans.get(businessDate) ?? { reviews: new Set([customerId]), overdue: new Set([customerId]) };
    return [
      ...(plan.reviews.has(customerId) ? await this.closeReview(customerId, businessDate, context) : []),
      ...(plan.overdue.has(customerId) ? await this.countOverdue(customerId, businessDate, context) : []),
    ];
  }

  private async closeReview(customerId: string, businessDate: string, context: DayCloseContext): Promise<string[]> {
    const types = await this.accounts.execute(customerId, { type: 'CloseReviewDay', data: { businessDate } }, {
      metadata: context.metadata, now: context.now, idempotencyKey: `${context.idempotencyKey}:review`, request: { businessDate },
      respond: (events) => events.map((e) => e.type),
    });
    if (types.length === 0) await this.accounts.reschedule(customerId);
    return types;
  }

  private async countOverdue(customerId: string, businessDate: string, context: DayCloseContext): Promise<string[]> {
    const facts = await this.facts.load(customerId);
    if (!facts) return [];
    const policy = await this.policies.current();
    return this.accounts.execute(customerId, {
      type: 'EvaluateHold', data: { facts: holdFactsOf(facts, [context.causationId]), on: businessDate, businessDate }, context: { policy },
    }, {
      metadata: { ...context.metadata, actor: { id: HOLD_POLICY_ACTOR, roles: [] } }, now: context.now,
      idempotencyKey: `${context.idempotencyKey}:overdue`,
      // The facts may have moved on by a redelivery: the date is what this command is about.
      request: { businessDate },
      respond: (events) => events.map((e) => e.type),
    });
  }
}
