import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moves receivables onto the command handler's index tables (ADR 12): id lookups backfilled
 * from the events (replacing the JSON-field indexes), and every account with an invoice due
 * at the next close (it then writes its exact next date).
 */
export class ReceivablesDayClose1764400000000 implements MigrationInterface {
  name = 'ReceivablesDayClose1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      INSERT INTO stream_lookups (kind, id, stream_id)
        SELECT 'invoice', data->>'invoiceId', stream_id FROM events WHERE event_type = 'InvoiceIssued'
        UNION ALL SELECT 'payment', data->>'paymentId', stream_id FROM events WHERE event_type = 'PaymentReceived'
        UNION ALL SELECT 'write-off-request', data->>'requestId', stream_id FROM events WHERE event_type = 'WriteOffRequested'
      ON CONFLICT DO NOTHING;
      INSERT INTO stream_schedule (stream_id, category, partition_key, due_on, stream_version)
        SELECT DISTINCT ON (stream_id) stream_id, 'receivables-account', partition_key, DATE '1900-01-01', 0
          FROM events WHERE event_type = 'InvoiceIssued'
      ON CONFLICT DO NOTHING;
      DROP INDEX IF EXISTS events_invoice_lookup_idx, events_payment_lookup_idx, events_write_off_lookup_idx;`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      DELETE FROM stream_schedule WHERE category = 'receivables-account';
      DELETE FROM stream_lookups WHERE kind IN ('invoice', 'payment', 'write-off-request');
      CREATE INDEX IF NOT EXISTS events_invoice_lookup_idx ON events ((data->>'invoiceId')) WHERE event_type = 'InvoiceIssued';
      CREATE INDEX IF NOT EXISTS events_payment_lookup_idx ON events ((data->>'paymentId')) WHERE event_type = 'PaymentReceived';
      CREATE INDEX IF NOT EXISTS events_write_off_lookup_idx ON events ((data->>'requestId')) WHERE event_type = 'WriteOffRequested';`);
  }
}
