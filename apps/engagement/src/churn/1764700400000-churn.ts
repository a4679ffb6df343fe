import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Churn's copy of its signals' facts per customer, kept by the churn-signals policy (ISO dates
 * as text compare as dates). `next_check_on` is the first date a time-based signal can change
 * with no new event: the day close reads only the customers due by it.
 */
export class ChurnTables1764700400000 implements MigrationInterface {
  name = 'ChurnTables1764700400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE IF NOT EXISTS churn_signal_facts (
        customer_id    text        PRIMARY KEY,
        facts          jsonb       NOT NULL,
        next_check_on  text,
        last_scored_at text,
        updated_at     timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX IF NOT EXISTS churn_signal_facts_check_idx ON churn_signal_facts (next_check_on, customer_id) WHERE next_check_on IS NOT NULL;`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS churn_signal_facts;');
  }
}
