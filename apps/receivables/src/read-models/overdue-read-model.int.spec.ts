import { randomUUID } from 'node:crypto';
import { EventEnvelope } from '@crm/contracts';
import { companionTableName, projectionTableDdl } from '@crm/eventing';
import { applyProjectionBatches, envelopeOf, freshEventingDatabase, TestDatabase } from '@crm/testing';
import { SEGMENT_RULES } from '@crm/receivables-domain';
import { CollectionQueriesService, ReadDate } from '../collection/collection-queries.service';
import { OVERDUE_COMPANIONS } from './overdue-read-model';
import { creditPositionsProjection, receivableInvoicesProjection, unappliedPaymentsProjection } from './receivables-projections';

/** The overdue read model's SQL tables on real PostgreSQL, fed the envelopes its consumer would get. */
describe('overdue read model (real PostgreSQL)', () => {
  const projection = receivableInvoicesProjection('spec.');
  const TABLE = 'receivable_invoices';
  const tables = { documents: TABLE, ...Object.fromEntries(OVERDUE_COMPANIONS.map((c) => [c.name, companionTableName(TABLE, c.name)])) };
  const customer = randomUUID();
  const [a, b, paid] = [randomUUID(), randomUUID(), randomUUID()];
  const close = (businessDate: string) => envelopeOf({ type: 'BusinessDayClosed', data: { businessDate, closedBy: 'spec' } }, { id: randomUUID(), subject: 'receivables-business-days' });
  const byPolicy = (cause: EventEnvelope) => ({ metadata: { actor: { id: 'policy:receivables-day-close', roles: [] }, correlationId: 'c', causationId: cause.id } });
  const issued = (invoiceId: string, issueDate: string, dueDate: string, total: number) => envelopeOf({ type: 'InvoiceIssued', data: {
    invoiceId, number: `INV-${invoiceId.slice(0, 4)}`, customerId: customer, currency: 'CNY', issueDate, lines: [], total, terms: { type: 'net', days: 30 },
    installments: [{ dueDate, amount: total }], earlyPaymentDiscount: null } });
  const payment = (invoiceId: string, amount: number, receivedOn: string) => envelopeOf({ type: 'PaymentReceived', data: {
    paymentId: randomUUID(), customerId: customer, amount, currency: 'CNY', receivedOn, method: 'cash', reference: 'r',
    allocations: [{ invoiceId, amount, discount: 0, kind: 'payment' }], unapplied: 0 } });
  const firstClose = close('2026-02-10');
  const secondClose = close('2026-02-12');
  const history: EventEnvelope[] = [
    issued(paid, '2025-12-01', '2025-12-31', 3_000), payment(paid, 3_000, '2026-01-05'),
    issued(a, '2026-01-01', '2026-01-31', 10_000), issued(b, '2026-01-05', '2026-02-04', 5_000),
    firstClose,
    envelopeOf({ type: 'DunningLevelRaised', data: { invoiceId: a, customerId: customer, businessDate: '2026-02-10', level: 1, previousLevel: 0, daysOverdue: 10, action: 'reminder_email' } }, byPolicy(firstClose)),
    payment(a, 4_000, '2026-02-12'),
    envelopeOf({ type: 'InvoiceDisputed', data: { invoiceId: b, customerId: customer, reason: 'quantity', openedOn: '2026-02-11' } }),
  ];
  const dbs: TestDatabase[] = [];

  async function model(batches: EventEnvelope[][]): Promise<TestDatabase> {
    // Few connections: the server is shared with every other spec running.
    const db = await freshEventingDatabase({ poolSize: 2 });
    dbs.push(db);
    await db.pool.query([projectionTableDdl(projection, TABLE), projectionTableDdl(creditPositionsProjection('spec.'), 'credit_positions'),
      projectionTableDdl(unappliedPaymentsProjection('spec.'), 'unapplied_payments')].join('\n'));
    await apply(db, batches);
    return db;
  }
  async function apply(db: TestDatabase, batches: EventEnvelope[][]) {
    await applyProjectionBatches(db.pool, projection, tables, batches);
  }
  const run = (db: TestDatabase, date: string, cause: EventEnvelope, status: string, recorded: Record<string, number>) => db.pool.query(
    `INSERT INTO day_close_runs (business_date, event_id, status, accounts_due, recorded, completed_at) VALUES ($1, $2, $3, 1, $4, CASE WHEN $3 = 'running' THEN NULL ELSE now() END)
     ON CONFLICT (business_date) DO UPDATE SET status = EXCLUDED.status, recorded = EXCLUDED.recorded, completed_at = EXCLUDED.completed_at`,
    [date, cause.id, status, JSON.stringify(recorded)]);
  async function snapshot(db: TestDatabase) {
    const rows = [];
    for (const table of Object.values(tables)) rows.push((await db.pool.query(`SELECT * FROM ${table} r ORDER BY r`)).rows);
    return rows;
  }

  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it('answers for a business day only once its close has finished and all it appended is applied', async () => {
    const db = await model([history.slice(0, 5)]);
    const queries = new CollectionQueriesService(db.pool);
    await run(db, '2026-02-10', firstClose, 'running', {});
    expect(await queries.readDate()).toBeNull();
    await run(db, '2026-02-10', firstClose, 'completed', { DunningLevelRaised: 1 });
    // The close is applied (days overdue count to 02-10), its dunning level not yet: not served.
    expect(await queries.readDate()).toBeNull();
    await apply(db, [history.slice(5)]);
    expect(await queries.readDate()).toEqual({ asOf: '2026-02-10', current: true });
  });

  it('lists as of the watermark from the open rows, later-dated changes from the history, and moves them in at the next close', async () => {
    const db = await model([history]);
    const queries = new CollectionQueriesService(db.pool);
    await run(db, '2026-02-10', firstClose, 'completed', { DunningLevelRaised: 1 });
    const date = (await queries.readDate())!;
    const page = await queries.overdue(date, {}, 'days', 50);
    expect(page.items.map((r) => [r.invoiceId, r.outstanding, r.daysOverdue, r.bucket, r.dunningLevel, r.disputed])).toEqual([
      [a, 10_000, 10, '1-30', 1, false], [b, 5_000, 6, '1-30', 0, false]]);
    // Paid 5 days late on 30-day terms: predicted 5 days after the due date, but not before tomorrow.
    expect(page.items[0]).toMatchObject({ predictedPaymentDate: '2026-02-11', predictionBasis: { paidInvoices: 1, medianDaysLate: 5, reason: null } });
    const later: ReadDate = { asOf: '2026-02-12', current: false };
    expect((await queries.overdue(later, {}, 'amount', 50)).items.map((r) => [r.invoiceId, r.outstanding, r.disputed])).toEqual([[a, 6_000, false], [b, 5_000, true]]);
    expect((await queries.overdue({ asOf: '2026-01-31', current: false }, {}, 'days', 50)).items).toEqual([]);

    await apply(db, [[secondClose]]);
    await run(db, '2026-02-12', secondClose, 'completed', {});
    const next = (await queries.readDate())!;
    expect(next).toEqual({ asOf: '2026-02-12', current: true });
    expect(await queries.overdue(next, {}, 'amount', 50)).toEqual(await queries.overdue(later, {}, 'amount', 50));
    // The disputed invoice leaves the worklist; the open rows and the history agree on every report.
    expect((await queries.worklist(next, 10)).map((r) => [r.invoiceId, r.score])).toEqual([[a, 6_000 * 12 * 1.2]]);
    for (const read of [(d: ReadDate) => queries.worklist(d, 10), (d: ReadDate) => queries.aging(d, {}), (d: ReadDate) => queries.allowance(d)]) {
      expect(await read(next)).toEqual(await read(later));
    }
    expect(await queries.aging(next, {})).toEqual([{ currency: 'CNY', total: 11_000, buckets: expect.objectContaining({ '1-30': 11_000, not_due: 0 }) }]);
    expect(await queries.allowance(next)).toEqual([{ currency: 'CNY', outstanding: 11_000, allowance: 110 }]);
  });

  it('lists a worklist segment by score, each row with the rule that placed it', async () => {
    const db = await model([history, [secondClose]]);
    const queries = new CollectionQueriesService(db.pool);
    const date = { asOf: '2026-02-12', current: true };
    expect((await queries.segment(date, 'deprioritized', 10, SEGMENT_RULES)).map((r) => [r.invoiceId, r.segment.rule, r.segment.policyVersion])).toEqual([[b, 'open-dispute', 1]]);
    // One paid invoice is not "usually pays"; level 1, no broken promise: neither at risk.
    expect(await queries.segment(date, 'low-hanging-fruit', 10, SEGMENT_RULES)).toEqual([]);
    expect(await queries.segment(date, 'at-risk', 10, SEGMENT_RULES)).toEqual([]);
  });

  it('pages by keyset: pages of one row each give the whole list once, in order', async () => {
    const db = await model([history, [secondClose]]);
    const queries = new CollectionQueriesService(db.pool);
    const date = { asOf: '2026-02-12', current: true };
    for (const sort of ['days', 'amount'] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await queries.overdue(date, {}, sort, 1, cursor);
        seen.push(...page.items.map((r) => r.invoiceId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual((await queries.overdue(date, {}, sort, 50)).items.map((r) => r.invoiceId));
    }
    await expect(queries.overdue(date, {}, 'amount', 1, (await queries.overdue(date, {}, 'days', 1)).nextCursor!)).rejects.toMatchObject({ errors: [{ field: 'cursor' }] });
  });

  it("keeps each applied day's totals equal to the versions valid that day, also after a change dated before the watermark", async () => {
    const db = await model([history, [secondClose]]);
    const queries = new CollectionQueriesService(db.pool);
    const days = [{ asOf: '2026-02-10', current: false }, { asOf: '2026-02-12', current: false }];
    const agree = async () => {
      for (const d of days) {
        expect(await queries.aging(d, {})).toEqual(await queries.aging(d, {}, { fromVersions: true }));
        expect(await queries.allowance(d)).toEqual(await queries.allowance(d, { fromVersions: true }));
      }
    };
    await agree();
    expect((await queries.aging(days[0], {}))[0].total).toBe(15_000);
    // Cash received on 02-09, posted after both closes: both days' totals change.
    await apply(db, [[payment(b, 2_000, '2026-02-09')]]);
    await agree();
    expect((await queries.aging(days[0], {}))[0].total).toBe(13_000);
    expect((await queries.aging(days[1], {}))[0].total).toBe(9_000);
    // A day with no kept totals (not a business day the model applied) reads the versions.
    expect(await queries.aging({ asOf: '2026-02-11', current: false }, {})).toEqual(await queries.aging({ asOf: '2026-02-11', current: false }, {}, { fromVersions: true }));
    expect((await db.pool.query(`SELECT business_date::text AS d FROM ${companionTableName(TABLE, 'closed_days')} ORDER BY 1`)).rows.map((r) => r.d)).toEqual(['2026-02-10', '2026-02-12']);
  });

  it('keeps the same rows whatever the batch boundaries (a rebuild reads other batches than the live consumer)', async () => {
    // With a payment dated before the watermark: the days' kept totals are corrected alike.
    const events = [...history, secondClose, payment(b, 2_000, '2026-02-09')];
    const [whole, oneByOne] = [await model([events]), await model(events.map((e) => [e]))];
    expect(await snapshot(oneByOne)).toEqual(await snapshot(whole));
    expect((await snapshot(whole))[2].length).toBeGreaterThan(0);
    expect((await snapshot(whole))[Object.keys(tables).indexOf('day_totals')].map((r) => [r.business_date.toISOString().slice(0, 10), Number(r.outstanding)]))
      .toEqual([['2026-02-10', 10_000], ['2026-02-10', 3_000], ['2026-02-12', 6_000], ['2026-02-12', 3_000]]);
  });
});
