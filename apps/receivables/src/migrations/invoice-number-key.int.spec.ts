import { invoiceNumberKey } from '@crm/receivables-domain';
import { freshDatabase, TestDatabase } from '@crm/testing';
import { INVOICE_NUMBER_KEY_SQL } from './1764910000000-receivables-invoice-numbers';

/** The backfill computes invoice-number lookup keys in SQL: they must equal the ones the append writes. */
describe('invoice-number key in SQL (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await freshDatabase(); });
  afterAll(async () => { await db?.drop(); });

  it('agrees with invoiceNumberKey', async () => {
    const numbers = ['INV-000123', 'INV-000000', 'inv 0130', 'INV-2026-000007', 'AB12CD0034', 'INV000001', 'X-1-02-003', '2026/INV/0042'];
    const { rows } = await db.pool.query(`SELECT n, ${INVOICE_NUMBER_KEY_SQL('n')} AS key FROM unnest($1::text[]) AS n`, [numbers]);
    expect(rows.map((r) => r.key)).toEqual(numbers.map(invoiceNumberKey));
    expect(rows[0].key).toBe('INV-123');
  });
});
