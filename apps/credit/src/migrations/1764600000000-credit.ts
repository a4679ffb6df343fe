import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credit's own table beside the event store: its copy of receivables' facts (kept by the
 * hold policy; ISO dates as text compare as dates). Day-close runs are the platform's.
 */
export class CreditTables1764600000000 implements MigrationInterface {
  name = 'CreditTables1764600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE IF NOT EXISTS credit_receivables_facts (
        customer_id       text        PRIMARY KEY,
        facts             jsonb       NOT NULL,
        oldest_unpaid_due text,
        updated_at        timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX IF NOT EXISTS credit_receivables_facts_due_idx ON credit_receivables_facts (oldest_unpaid_due) WHERE oldest_unpaid_due IS NOT NULL;`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS credit_receivables_facts;');
  }
}
