import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The invoice-number lookup (which account holds an invoice number: how a payment from an
 * unknown payer finds its customer), backfilled for invoices issued before it was written with
 * the append. The key is `invoiceNumberKey` of the number: letter and digit groups, upper case,
 * leading zeros dropped, joined by '-' (a spec checks that this SQL and the function agree).
 */
export const INVOICE_NUMBER_KEY_SQL = (column: string) => `(SELECT string_agg(
    CASE WHEN m[1] ~ '^[0-9]' THEN regexp_replace(m[1], '^0+(?=[0-9])', '') ELSE m[1] END, '-' ORDER BY n)
  FROM regexp_matches(upper(${column}), '[A-Z]+|[0-9]+', 'g') WITH ORDINALITY AS t(m, n))`;

export class ReceivablesInvoiceNumbers1764910000000 implements MigrationInterface {
  name = 'ReceivablesInvoiceNumbers1764910000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      INSERT INTO stream_lookups (kind, id, stream_id)
        SELECT 'invoice-number', key, stream_id FROM (
          SELECT ${INVOICE_NUMBER_KEY_SQL(`data->>'number'`)} AS key, stream_id FROM events WHERE event_type = 'InvoiceIssued'
        ) numbers WHERE key IS NOT NULL
      ON CONFLICT DO NOTHING;`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM stream_lookups WHERE kind = 'invoice-number';`);
  }
}
