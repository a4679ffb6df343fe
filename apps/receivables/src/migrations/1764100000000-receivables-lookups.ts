import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Write-side lookups on receivables' own event store: which customer's stream holds an
 * invoice, payment or write-off request (read-your-writes, unlike the Kafka-fed read models),
 * and the invoice number sequence.
 */
export class ReceivablesLookups1764100000000 implements MigrationInterface {
  name = 'ReceivablesLookups1764100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE INDEX IF NOT EXISTS events_invoice_lookup_idx ON events ((data->>'invoiceId')) WHERE event_type = 'InvoiceIssued';
      CREATE INDEX IF NOT EXISTS events_payment_lookup_idx ON events ((data->>'paymentId')) WHERE event_type = 'PaymentReceived';
      CREATE INDEX IF NOT EXISTS events_write_off_lookup_idx ON events ((data->>'requestId')) WHERE event_type = 'WriteOffRequested';
      CREATE SEQUENCE IF NOT EXISTS invoice_number_seq;`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS events_invoice_lookup_idx, events_payment_lookup_idx, events_write_off_lookup_idx;
      DROP SEQUENCE IF EXISTS invoice_number_seq;`);
  }
}
