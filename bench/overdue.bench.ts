import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { addDays } from '@crm/contracts';
import { companionTableName, installEventing, projectionTableDdl, projectionIndexesDdl } from '@crm/eventing';
import { freshDatabase } from '@crm/testing';
import { CollectionQueriesService, ReadDate } from '../apps/receivables/src/collection/collection-queries.service';
import { receivableInvoicesProjection } from '../apps/receivables/src/read-models/receivables-projections';
import { allowanceColumnsSql, ALLOWANCE_BUCKETS, weightSql } from '../apps/receivables/src/read-models/overdue-sql';
import { applyOverdueBatch, OVERDUE_COMPANIONS } from '../apps/receivables/src/read-models/overdue-read-model';

/** Sizes: `scale` is the issue's target (1 M open invoices); `smoke` runs in the test command. */
export const OVERDUE_SIZES = { smoke: { invoices: 2_000, customers: 1_000, repeats: 10 }, medium: { invoices: 100_000, customers: 50_000, repeats: 30 },
  scale: { invoices: 1_000_000, customers: 1_000_000, repeats: 100 } } as const;
export type OverdueSize = keyof typeof OVERDUE_SIZES;

export interface OverdueFigures {
  size: OverdueSize;
  invoices: number;
  fillSeconds: number;
  /** p99 of each case, ms. */
  cases: Array<{ case: string; p50Ms: number; p99Ms: number; rows: number }>;
  /** Worst p99 over the first pages of every documented filter and sort at the read model's date (target < 20 ms). */
  overdueP99Ms: number;
  /** The same over past dates (`asOf`), read from the history. */
  overdueAsOfP99Ms: number;
  /** Aging totals at the read model's date (target < 50 ms). */
  agingP99Ms: number;
  /** Aging and allowance for a past business day, from that day's kept totals. */
  agingAsOfP99Ms: number;
  worklistP99Ms: number;
  /** The next day close on the filled model (one row in a hundred moves): seconds. */
  dayCloseSeconds: number;
}

const W = '2026-06-30';
const table = 'receivable_invoices';
const t = (name: string) => companionTableName(table, name);

/**
 * Fills the read model's tables with bulk SQL (generate_series) in a fresh database: open
 * invoices due from 400 days before the watermark to 30 days after it, in three currencies,
 * dunning levels by days overdue, one in fifty disputed, a paid history for one customer in
 * ten; each open row has its one version (valid since issue) in the history, and the year of
 * business days before the watermark has its day's totals, as the day closes would have kept them.
 */
export async function fillOverdueModel(pool: Pool, invoices: number, customers: number): Promise<void> {
  await installEventing(pool);
  await pool.query(projectionTableDdl(receivableInvoicesProjection('bench.'), table, false));
  const row = `md5('inv' || i)::uuid::text AS invoice_id, md5('cust' || (i % ${customers}))::uuid::text AS customer_id,
    (CASE i % 10 WHEN 0 THEN 'USD' WHEN 1 THEN 'EUR' ELSE 'CNY' END) AS currency, 'INV-' || lpad(i::text, 9, '0') AS number,
    (DATE '${W}' - (i % 431) ) AS issue_date, (100 + (i::bigint * 7919) % 1000000) AS outstanding, (DATE '${W}' - (i % 431) + 30) AS due_date,
    NULL::date AS promised_date, (i % 50 = 0) AS disputed`;
  // Dunning levels as the ladder would have raised them by the watermark (days overdue d).
  await pool.query(`CREATE UNLOGGED TABLE bench_rows AS
    SELECT r.*, (CASE WHEN d >= 90 THEN 5 WHEN d >= 60 THEN 4 WHEN d >= 30 THEN 3 WHEN d >= 15 THEN 2 WHEN d >= 1 THEN 1 ELSE 0 END) AS dunning_level
      FROM (SELECT *, DATE '${W}' - due_date AS d FROM (SELECT ${row} FROM generate_series(1, ${invoices}) i) g) r`);
  const columns = 'invoice_id, customer_id, currency, number, issue_date, outstanding, due_date, dunning_level, promised_date, disputed';
  // One invoice in a hundred has a payment dated the day after the watermark: a second version, which the next close moves in.
  await pool.query(`INSERT INTO ${t('versions')} (valid_from, valid_to, ${columns})
    SELECT issue_date, CASE WHEN right(number, 2) = '00' THEN DATE '${addDays(W, 1)}' ELSE 'infinity' END, ${columns} FROM bench_rows`);
  await pool.query(`INSERT INTO ${t('versions')} (valid_from, valid_to, ${columns})
    SELECT DATE '${addDays(W, 1)}', 'infinity', ${columns.replace('outstanding', 'outstanding / 2')} FROM bench_rows WHERE right(number, 2) = '00'`);
  await pool.query(`INSERT INTO ${t('open')} (valid_from, ${columns}, weight) SELECT issue_date, ${columns}, ${weightSql('bench_rows.')} FROM bench_rows`);
  await pool.query(`INSERT INTO ${t('weights')} (due_date, max_weight) SELECT due_date, max(${weightSql()}) FROM bench_rows GROUP BY 1`);
  await pool.query(`INSERT INTO ${t('totals')} (currency, due_date, invoices, outstanding, ${ALLOWANCE_BUCKETS.map((b) => b.column).join(', ')})
    SELECT currency, due_date, count(*), sum(outstanding), ${allowanceColumnsSql('outstanding').map((a) => `sum(${a})`).join(', ')} FROM bench_rows GROUP BY 1, 2`);
  // Each day's totals are the versions valid that day, summed per (currency, due date) with the allowance rounded per invoice.
  await pool.query(`INSERT INTO ${t('closed_days')} (business_date) SELECT d FROM generate_series(DATE '${addDays(W, -364)}', DATE '${W}', interval '1 day') d`);
  await pool.query(`INSERT INTO ${t('day_totals')} (business_date, currency, due_date, invoices, outstanding, ${ALLOWANCE_BUCKETS.map((b) => b.column).join(', ')})
    SELECT d.business_date, g.currency, g.due_date, sum(g.invoices), sum(g.outstanding), ${ALLOWANCE_BUCKETS.map((b) => `sum(g.${b.column})`).join(', ')}
      FROM (SELECT valid_from, valid_to, currency, due_date, count(*) AS invoices, sum(outstanding) AS outstanding,
                   ${allowanceColumnsSql('outstanding').map((a, i) => `sum(${a}) AS ${ALLOWANCE_BUCKETS[i].column}`).join(', ')}
              FROM ${t('versions')} GROUP BY 1, 2, 3, 4) g
      JOIN ${t('closed_days')} d ON g.valid_from <= d.business_date AND g.valid_to > d.business_date
     GROUP BY 1, 2, 3`);
  await pool.query(`INSERT INTO ${t('payers')} (customer_id, paid)
    SELECT md5('cust' || c)::uuid::text, jsonb_build_array(
      jsonb_build_object('invoiceId', md5('paid' || c)::uuid::text, 'dueDate', '2026-01-31', 'paidOn', '2026-02-' || lpad((1 + c % 28)::text, 2, '0'),
        'daysLate', 1 + c % 28, 'termsDays', 30, 'disputed', false))
      FROM generate_series(0, ${customers - 1}, 10) c`);
  await pool.query(`INSERT INTO ${t('watermark')} (id, applied_through) VALUES (1, '${W}');
    INSERT INTO ${t('closes')} (cause_id, business_date, applied) VALUES ('bench-close', '${W}', 0);
    INSERT INTO day_close_runs (business_date, event_id, status, accounts_due, completed_at) VALUES ('${W}', gen_random_uuid(), 'completed', 0, now());
    DROP TABLE bench_rows;`);
  await pool.query(projectionIndexesDdl(receivableInvoicesProjection('bench.'), table));
  // A live read model is vacuumed as it goes: without this, autovacuum's first pass over the
  // freshly loaded tables runs during the first timed cases.
  await pool.query('VACUUM (ANALYZE)');
}

async function timed(repeats: number, read: () => Promise<unknown[]>): Promise<{ p50Ms: number; p99Ms: number; rows: number }> {
  let rows = (await read()).length; // warm-up
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = process.hrtime.bigint();
    rows = (await read()).length;
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => Math.round(samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)] * 100) / 100;
  return { p50Ms: at(0.5), p99Ms: at(0.99), rows };
}

export async function benchOverdue(size: OverdueSize): Promise<OverdueFigures> {
  const { invoices, customers, repeats } = OVERDUE_SIZES[size];
  const db = await freshDatabase({ poolSize: 4 });
  try {
    const started = Date.now();
    await fillOverdueModel(db.pool, invoices, customers);
    const fillSeconds = (Date.now() - started) / 1000;
    const queries = new CollectionQueriesService(db.pool);
    const date = (await queries.readDate()) as ReadDate;
    if (date.asOf !== W || !date.current) throw new Error(`bench read model answers for ${JSON.stringify(date)}, expected ${W}`);
    const past: ReadDate = { asOf: addDays(W, -30), current: false };
    const customer = (await db.pool.query(`SELECT customer_id FROM ${t('open')} WHERE due_date < '${W}' LIMIT 1`)).rows[0].customer_id;
    const firstPage = await queries.overdue(date, {}, 'days', 50);
    // The open rows and the history answer the watermark's date alike (the fast paths are not shortcuts).
    const history: ReadDate = { asOf: W, current: false };
    for (const [name, read] of Object.entries({ worklist: (d: ReadDate) => queries.worklist(d, 100), aging: (d: ReadDate) => queries.aging(d, {}),
      allowance: (d: ReadDate) => queries.allowance(d), overdue: async (d: ReadDate) => (await queries.overdue(d, {}, 'amount', 50)).items })) {
      if (JSON.stringify(await read(date)) !== JSON.stringify(await read(history))) throw new Error(`${name}: the open rows and the history differ`);
    }
    // The day's kept totals and the versions valid that day answer alike, today and 30 days back.
    for (const d of [date, history, past]) {
      for (const [name, read] of Object.entries({ aging: (fromVersions: boolean) => queries.aging(d, {}, { fromVersions }),
        allowance: (fromVersions: boolean) => queries.allowance(d, { fromVersions }) })) {
        const [kept, versions] = [await read(false), await read(true)];
        if (JSON.stringify(kept) !== JSON.stringify(versions) || versions.length === 0) throw new Error(`${name} ${d.asOf}: the kept totals and the versions differ`);
      }
    }
    const cases: OverdueFigures['cases'] = [];
    const filters = { none: {}, customerId: { customerId: customer }, currency: { currency: 'USD' }, dunningLevel: { dunningLevel: 3 }, minDaysOverdue: { minDaysOverdue: 90 } };
    const overdueCases: string[] = [];
    const asOfCases: string[] = [];
    for (const [name, filter] of Object.entries(filters)) {
      for (const sort of ['days', 'amount'] as const) {
        cases.push({ case: `overdue ${name} by ${sort}`, ...await timed(repeats, async () => (await queries.overdue(date, filter, sort, 50)).items) });
        overdueCases.push(cases[cases.length - 1].case);
        cases.push({ case: `overdue ${name} by ${sort}, asOf −30 d`, ...await timed(repeats, async () => (await queries.overdue(past, filter, sort, 50)).items) });
        asOfCases.push(cases[cases.length - 1].case);
      }
    }
    cases.push({ case: 'overdue next page', ...await timed(repeats, async () => (await queries.overdue(date, {}, 'days', 50, firstPage.nextCursor ?? undefined)).items) });
    overdueCases.push('overdue next page');
    cases.push({ case: 'read date', ...await timed(repeats, async () => [await queries.readDate()]) });
    cases.push({ case: 'aging', ...await timed(repeats, () => queries.aging(date, {})) });
    cases.push({ case: 'aging currency', ...await timed(repeats, () => queries.aging(date, { currency: 'USD' })) });
    cases.push({ case: 'aging customer', ...await timed(repeats, () => queries.aging(date, { customerId: customer })) });
    cases.push({ case: 'allowance', ...await timed(repeats, () => queries.allowance(date)) });
    cases.push({ case: 'worklist', ...await timed(repeats, () => queries.worklist(date, 100)) });
    cases.push({ case: 'aging asOf −30 d', ...await timed(repeats, () => queries.aging(past, {})) });
    cases.push({ case: 'aging currency asOf −30 d', ...await timed(repeats, () => queries.aging(past, { currency: 'USD' })) });
    cases.push({ case: 'allowance asOf −30 d', ...await timed(repeats, () => queries.allowance(past)) });

    // The next day close over the filled model, as the projection applies it (one in a hundred rows moves).
    const closeStarted = Date.now();
    const tx = await db.pool.connect();
    try {
      await tx.query('BEGIN');
      await applyOverdueBatch({ tx, changed: new Map(), tables: { documents: table, ...Object.fromEntries(OVERDUE_COMPANIONS.map((c) => [c.name, t(c.name)])) },
        events: [{ id: randomUUID(), type: 'BusinessDayClosed', schemaVersion: 1, source: 'bench', subject: 'receivables-business-days',
          time: `${addDays(W, 1)}T18:00:00.000Z`, streamId: 'receivables-business-days', streamVersion: 2, data: { businessDate: addDays(W, 1), closedBy: 'bench' },
          metadata: { actor: { id: 'bench', roles: [] }, correlationId: 'bench', causationId: 'bench' } }] });
      await tx.query('COMMIT');
    } finally {
      tx.release();
    }
    const dayCloseSeconds = (Date.now() - closeStarted) / 1000;
    const moved = Number((await db.pool.query(`SELECT count(*) FROM ${t('open')} WHERE valid_from = $1`, [addDays(W, 1)])).rows[0].count);
    if (moved !== Math.floor(invoices / 100)) throw new Error(`the day close moved ${moved} rows, expected ${Math.floor(invoices / 100)}`);

    const worst = (names: string[]) => Math.max(...cases.filter((c) => names.includes(c.case)).map((c) => c.p99Ms));
    return { size, invoices, fillSeconds, cases, overdueP99Ms: worst(overdueCases), overdueAsOfP99Ms: worst(asOfCases),
      agingP99Ms: worst(['aging', 'aging currency', 'aging customer']),
      agingAsOfP99Ms: worst(['aging asOf −30 d', 'aging currency asOf −30 d', 'allowance asOf −30 d']), worklistP99Ms: worst(['worklist']), dayCloseSeconds };
  } finally {
    await db.drop();
  }
}
