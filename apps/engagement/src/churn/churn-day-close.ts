import { Inject, Injectable } from '@nestjs/common';
import { DayCloseContext, DayCloseWork, PG_POOL } from '@crm/platform';
import { Pool } from 'pg';
import { ChurnFactsStore } from './churn-facts.store';
import { ChurnRisks } from './churn-risks';

const later = (a: string, b: string | null) => (b !== null && b > a ? b : a);

/**
 * Churn's part of the day close: rescoring as of the date only the customers whose time-based
 * signals (purchase frequency and spend windows, no recent interaction) can change by it —
 * the indexed `next_check_on` of their facts, never a scan of all customers. It runs last, after
 * the day's breaches and misses are recorded (their events reach the signals policy on their own).
 */
@Injectable()
export class ChurnDayClose implements DayCloseWork {
  constructor(
    private readonly facts: ChurnFactsStore,
    private readonly risks: ChurnRisks,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  due(businessDate: string): Promise<string[]> {
    return this.facts.dueBy(businessDate);
  }

  async close(customerId: string, businessDate: string, context: DayCloseContext): Promise<string[]> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { facts, lastScoredAt } = await this.facts.lock(customerId, client);
      const now = later(context.now, lastScoredAt);
      const recorded = await this.risks.score(customerId, {
        facts, on: businessDate, causedBy: null, now, metadata: context.metadata,
        // The facts may have moved on by a redelivery: the date is what this command is about.
        idempotencyKey: context.idempotencyKey, request: { businessDate },
      });
      await this.facts.save(facts, businessDate, now, client);
      await client.query('COMMIT');
      return recorded;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }
}
