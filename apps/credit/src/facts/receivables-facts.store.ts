import { Inject, Injectable } from '@nestjs/common';
import { holdFactsOf, ReceivablesFacts } from '@crm/credit-domain';
import { Queryable } from '@crm/eventing';
import { PG_POOL } from '@crm/platform';
import { Pool } from 'pg';

/**
 * Credit's own copy of receivables' facts per customer, kept by the hold policy in its
 * consumer's transaction (exactly once per event, in the account stream's order). Read at
 * the edge for assessments and approvals, which record what they read.
 */
@Injectable()
export class ReceivablesFactsStore {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async load(customerId: string, db: Queryable = this.pool): Promise<ReceivablesFacts | undefined> {
    const { rows } = await db.query('SELECT facts FROM credit_receivables_facts WHERE customer_id = $1', [customerId]);
    return rows[0]?.facts;
  }

  async save(facts: ReceivablesFacts, db: Queryable): Promise<void> {
    const oldestUnpaid = holdFactsOf(facts, []).oldestUnpaid?.dueDate ?? null;
    await db.query(
      `INSERT INTO credit_receivables_facts (customer_id, facts, oldest_unpaid_due, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (customer_id) DO UPDATE SET facts = EXCLUDED.facts, oldest_unpaid_due = EXCLUDED.oldest_unpaid_due, updated_at = now()`,
      [facts.customerId, JSON.stringify(facts), oldestUnpaid]);
  }

  /** Customers with an unpaid installment due before `date` (candidates for the overdue rule at a day close). */
  async unpaidDueBefore(date: string): Promise<string[]> {
    const { rows } = await this.pool.query(
      'SELECT customer_id FROM credit_receivables_facts WHERE oldest_unpaid_due < $1 ORDER BY customer_id', [date]);
    return rows.map((r) => r.customer_id);
  }
}
