import { MigrationInterface, QueryRunner } from 'typeorm';

/** Loyalty's copy of receivables' invoices (kept by the payments policy): which installment a payment pays and when it was due. */
export class LoyaltyTables1764700000000 implements MigrationInterface {
  name = 'LoyaltyTables1764700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE IF NOT EXISTS loyalty_invoices (
        invoice_id   text   PRIMARY KEY,
        customer_id  text   NOT NULL,
        currency     text   NOT NULL,
        installments jsonb  NOT NULL,
        settled      bigint NOT NULL DEFAULT 0
      );`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS loyalty_invoices;');
  }
}
