import { Inject, Injectable } from '@nestjs/common';
import { ChurnFacts, initialChurnFacts, nextChurnCheckAfter } from '@crm/engagement-domain';
import { Queryable } from '@crm/eventing';
import { PG_POOL } from '@crm/platform';
import { Pool } from 'pg';

export interface LockedFacts { facts: ChurnFacts; lastScoredAt: string | null }

/**
 * Churn's copy of its signals' facts per customer. Three topics feed it (receivables,
 * engagement, customers) and the day close reads it, so each change locks the customer's row
 * first: the facts change once per event, in order, and a score never goes back in time.
 */
@Injectable()
export class ChurnFactsStore {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** The facts, locked for the transaction `tx` (a new customer's row is created first, so it can be locked). */
  async lock(customerId: string, tx: Queryable): Promise<LockedFacts> {
    await tx.query(`INSERT INTO churn_signal_facts (customer_id, facts) VALUES ($1, $2) ON CONFLICT (customer_id) DO NOTHING`,
      [customerId, JSON.stringify(initialChurnFacts(customerId))]);
    const { rows } = await tx.query('SELECT facts, last_scored_at FROM churn_signal_facts WHERE customer_id = $1 FOR UPDATE', [customerId]);
    return { facts: rows[0].facts, lastScoredAt: rows[0].last_scored_at };
  }

  /** Saves the facts as scored on `on`, at `scoredAt`, with the next date a time-based signal can change. */
  async save(facts: ChurnFacts, on: string, scoredAt: string, tx: Queryable): Promise<void> {
    await tx.query(
      `UPDATE churn_signal_facts SET facts = $2, next_check_on = $3, last_scored_at = $4, updated_at = now() WHERE customer_id = $1`,
      [facts.customerId, JSON.stringify(facts), nextChurnCheckAfter(facts, on), scoredAt]);
  }

  /** Customers whose time-based signals can change by `date` (indexed; never a scan of all customers). */
  async dueBy(date: string): Promise<string[]> {
    const { rows } = await this.pool.query(
      'SELECT customer_id FROM churn_signal_facts WHERE next_check_on <= $1 ORDER BY customer_id', [date]);
    return rows.map((r) => r.customer_id);
  }
}
