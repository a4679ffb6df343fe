import { EventEnvelope } from '@crm/contracts';
import { CompanionBatch, CompanionTable } from '@crm/eventing';
import { OverdueVersion, overdueVersions, paidInvoiceOf, PREDICTION_RULE, ReceivableInvoiceDoc, versionAt } from '@crm/receivables-domain';
import { PoolClient } from 'pg';
import { AGING_HISTORY_COMPANIONS, correctDayTotals, recordDayTotals, totalsChange, TotalsStretch } from './aging-history';
import { ALLOWANCE_BUCKETS, allowanceColumnsSql, weightSql } from './overdue-sql';

/**
 * The overdue list as a SQL read model (ADR 27), kept beside the invoice documents:
 * - `versions`: each open invoice's stretches of business dates (history for `asOf`);
 * - `open`: one row per invoice open at the watermark, with what queries filter and sort on;
 * - `totals`: outstanding and allowance per currency and due date, for aging in a few rows;
 * - `watermark`: the last business day applied; `closes`: what each day close appended;
 * - `weights`: per due date, the highest worklist weight, so the worklist reads few due dates;
 * - `payers`: each customer's latest paid invoices, the inputs of payment-date prediction;
 * - `day_totals`, `closed_days`: the totals of every applied business day (aging for past days).
 * Days overdue and the bucket are never stored: they follow from the due date and the day
 * asked about, so a day close moves only the rows whose versions start or end that day
 * (the worklist score, outstanding × days × (1 + level ÷ 5), is computed when read).
 */
const ROW = `customer_id text NOT NULL, currency text NOT NULL, number text NOT NULL, issue_date date NOT NULL,
  outstanding bigint NOT NULL, due_date date NOT NULL, dunning_level integer NOT NULL, promised_date date, disputed boolean NOT NULL`;
const ROW_COLUMNS = 'customer_id, currency, number, issue_date, outstanding, due_date, dunning_level, promised_date, disputed';

/** Each documented filter (none, customer, currency, dunning level) × each sort (days, amount), keyset order. */
const BY_DAYS = 'due_date, (-outstanding), invoice_id';
const BY_AMOUNT = '(-outstanding), due_date, invoice_id';

export const OVERDUE_COMPANIONS: CompanionTable[] = [
  { name: 'versions', columns: [`invoice_id text NOT NULL, valid_from date NOT NULL, valid_to date NOT NULL, ${ROW}`, 'PRIMARY KEY (invoice_id, valid_from)'],
    // Past dates read the history: by validity, by customer, or in either sort order. A dunning
    // level goes with days overdue, so that filter by days needs its own index (else it reads
    // the other levels' due dates first); the other filters spread evenly over both sorts.
    indexes: ['(valid_from)', '(valid_to)', '(customer_id, valid_to)', `(${BY_DAYS})`, `(${BY_AMOUNT})`, `(dunning_level, ${BY_DAYS})`] },
  { name: 'open', columns: [`invoice_id text PRIMARY KEY, valid_from date NOT NULL, ${ROW}, weight float8 NOT NULL`],
    indexes: [`(${BY_DAYS})`, `(${BY_AMOUNT})`, `(customer_id, ${BY_DAYS})`, `(customer_id, ${BY_AMOUNT})`, `(currency, ${BY_DAYS})`,
      `(currency, ${BY_AMOUNT})`, `(dunning_level, ${BY_DAYS})`, `(dunning_level, ${BY_AMOUNT})`, '(due_date, weight DESC, invoice_id) WHERE weight > 0'] },
  { name: 'weights', columns: ['due_date date PRIMARY KEY', 'max_weight float8 NOT NULL'] },
  { name: 'totals', columns: [`currency text NOT NULL, due_date date NOT NULL, invoices bigint NOT NULL, outstanding bigint NOT NULL,
    ${ALLOWANCE_BUCKETS.map((b) => `${b.column} bigint NOT NULL`).join(', ')}`, 'PRIMARY KEY (currency, due_date)'] },
  { name: 'watermark', columns: ['id integer PRIMARY KEY CHECK (id = 1)', 'applied_through date'] },
  { name: 'closes', columns: ['cause_id text PRIMARY KEY', 'business_date date', 'applied integer NOT NULL DEFAULT 0'], indexes: ['(business_date)'] },
  { name: 'payers', columns: ['customer_id text PRIMARY KEY', 'paid jsonb NOT NULL'] },
  ...AGING_HISTORY_COMPANIONS,
];

type Tables = Record<string, string>;

/** Adds (sign 1) or removes (-1) rows' outstanding and allowances in the totals; `rows` is SQL naming currency, due_date, outstanding, sign. */
function totalsDeltaSql(t: Tables, rows: string): string {
  const allowance = allowanceColumnsSql('outstanding');
  const columns = ALLOWANCE_BUCKETS.map((b) => b.column);
  return `INSERT INTO ${t.totals} AS t (currency, due_date, invoices, outstanding, ${columns.join(', ')})
    SELECT currency, due_date, sum(sign), sum(sign * outstanding), ${allowance.map((a) => `sum(sign * ${a})`).join(', ')}
      FROM (${rows}) delta GROUP BY currency, due_date ORDER BY currency, due_date
    ON CONFLICT (currency, due_date) DO UPDATE SET invoices = t.invoices + EXCLUDED.invoices, outstanding = t.outstanding + EXCLUDED.outstanding,
      ${columns.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ')}`;
}

/** Replaces the open rows of the `moved` invoices by `fresh` (both SQL relations), keeping the totals, in one statement. */
function replaceOpenSql(t: Tables, moved: string, fresh: string): string {
  return `WITH moved AS (${moved}), fresh AS (${fresh}),
    old AS (SELECT o.currency, o.due_date, o.outstanding, -1 AS sign FROM ${t.open} o JOIN moved USING (invoice_id)),
    gone AS (DELETE FROM ${t.open} o USING moved m WHERE o.invoice_id = m.invoice_id AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.invoice_id = o.invoice_id)),
    put AS (INSERT INTO ${t.open} (invoice_id, valid_from, ${ROW_COLUMNS}, weight)
      SELECT invoice_id, valid_from, ${ROW_COLUMNS}, ${weightSql('fresh.')} FROM fresh ORDER BY invoice_id
      ON CONFLICT (invoice_id) DO UPDATE SET valid_from = EXCLUDED.valid_from, ${ROW_COLUMNS.split(', ').map((c) => `${c} = EXCLUDED.${c}`).join(', ')},
        weight = EXCLUDED.weight)
    ${totalsDeltaSql(t, `SELECT * FROM old UNION ALL SELECT currency, due_date, outstanding, 1 FROM fresh`)}
    RETURNING due_date::text`;
}

/**
 * The highest weight of each touched due date, read from the worklist index. The rows are
 * locked first: a concurrent batch (a rebuild reads partitions in parallel) that changed the
 * same due date commits before this one reads, so neither keeps a maximum the other outdated.
 */
async function refreshWeights(tx: PoolClient, t: Tables, changed: Array<{ due_date: string }>): Promise<void> {
  const dates = [...new Set(changed.map((r) => r.due_date))].sort();
  if (dates.length === 0) return;
  await tx.query(`INSERT INTO ${t.weights} AS w (due_date, max_weight) SELECT d, 0 FROM unnest($1::date[]) d ORDER BY d
    ON CONFLICT (due_date) DO UPDATE SET max_weight = w.max_weight`, [dates]);
  await tx.query(`UPDATE ${t.weights} w SET max_weight = coalesce((SELECT o.weight FROM ${t.open} o
      WHERE o.due_date = w.due_date AND o.weight > 0 ORDER BY o.weight DESC LIMIT 1), 0) WHERE w.due_date = ANY($1::date[])`, [dates]);
  await tx.query(`DELETE FROM ${t.weights} WHERE due_date = ANY($1::date[]) AND max_weight = 0`, [dates]);
  await tx.query(`DELETE FROM ${t.totals} WHERE invoices = 0`);
}

async function lockWatermark(tx: PoolClient, t: Tables, exclusive: boolean): Promise<string | null> {
  const read = () => tx.query(`SELECT applied_through::text AS w FROM ${t.watermark} WHERE id = 1 FOR ${exclusive ? 'UPDATE' : 'SHARE'}`);
  let { rows } = await read();
  if (rows.length === 0) {
    await tx.query(`INSERT INTO ${t.watermark} (id, applied_through) VALUES (1, NULL) ON CONFLICT DO NOTHING`);
    ({ rows } = await read());
  }
  return rows[0].w;
}

const isDayClosePolicy = (e: EventEnvelope) => /^policy:.+-day-close$/.test(e.metadata?.actor?.id ?? '');

/** Counts what each day close appended (by its cause, the `BusinessDayClosed` event), and records each close's date. */
async function countCloses(tx: PoolClient, t: Tables, events: EventEnvelope[], closes: EventEnvelope[]): Promise<void> {
  const counts = new Map<string, { date: string | null; n: number }>();
  for (const e of closes) counts.set(e.id, { date: (e.data as { businessDate: string }).businessDate, n: counts.get(e.id)?.n ?? 0 });
  for (const e of events.filter(isDayClosePolicy)) {
    const c = counts.get(e.metadata.causationId) ?? { date: null, n: 0 };
    counts.set(e.metadata.causationId, { ...c, n: c.n + 1 });
  }
  if (counts.size === 0) return;
  await tx.query(
    `INSERT INTO ${t.closes} AS c (cause_id, business_date, applied)
     SELECT x->>0, (x->>1)::date, (x->>2)::int FROM json_array_elements($1::json) x ORDER BY 1
     ON CONFLICT (cause_id) DO UPDATE SET applied = c.applied + EXCLUDED.applied, business_date = coalesce(EXCLUDED.business_date, c.business_date)`,
    [JSON.stringify([...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, c]) => [id, c.date, c.n]))]);
}

/** The day close of `to`: rows whose versions start or end after `from` up to `to` take their version valid at `to`. */
async function applyBusinessDay(tx: PoolClient, t: Tables, from: string | null, to: string): Promise<void> {
  const after = from === null ? `'-infinity'::date` : '$1::date';
  const params = from === null ? [to] : [from, to];
  const day = from === null ? '$1::date' : '$2::date';
  const { rows } = await tx.query(replaceOpenSql(t,
    `SELECT invoice_id FROM ${t.versions} WHERE valid_from > ${after} AND valid_from <= ${day}
     UNION SELECT invoice_id FROM ${t.versions} WHERE valid_to > ${after} AND valid_to <= ${day}`,
    `SELECT v.* FROM ${t.versions} v JOIN moved USING (invoice_id) WHERE v.valid_from <= ${day} AND v.valid_to > ${day}`), params);
  await refreshWeights(tx, t, rows);
  await recordDayTotals(tx, t, to);
  await tx.query(`UPDATE ${t.watermark} SET applied_through = $1 WHERE id = 1`, [to]);
}

const versionRow = (v: OverdueVersion, issueDate: string) => ({
  invoice_id: v.invoiceId, valid_from: v.validFrom, valid_to: v.validTo ?? 'infinity', customer_id: v.customerId, currency: v.currency,
  number: v.number, issue_date: issueDate, outstanding: v.outstanding, due_date: v.dueDate, dunning_level: v.dunningLevel,
  promised_date: v.promisedDate, disputed: v.disputed,
});
const RECORD = `invoice_id text, valid_from date, valid_to date, customer_id text, currency text, number text, issue_date date,
  outstanding bigint, due_date date, dunning_level integer, promised_date date, disputed boolean`;

/** The changed invoices' history replaced, and their open rows set to the version valid at the watermark. */
async function applyInvoices(tx: PoolClient, t: Tables, changed: Map<string, ReceivableInvoiceDoc | null>, watermark: string | null): Promise<void> {
  const ids = [...changed.keys()].sort();
  const versions = [...changed.values()].flatMap((doc) => (doc ? overdueVersions(doc).map((v) => ({ v, issueDate: doc.issueDate })) : []));
  const { rows: before } = await tx.query(`DELETE FROM ${t.versions} WHERE invoice_id = ANY($1)
    RETURNING valid_from::text, valid_to::text, currency, due_date::text, outstanding::float8`, [ids]);
  if (versions.length > 0) {
    await tx.query(`INSERT INTO ${t.versions} (${'invoice_id, valid_from, valid_to, ' + ROW_COLUMNS})
      SELECT ${'invoice_id, valid_from, valid_to, ' + ROW_COLUMNS} FROM json_to_recordset($1::json) AS r(${RECORD})`,
    [JSON.stringify(versions.map(({ v, issueDate }) => versionRow(v, issueDate)))]);
  }
  const open = [...changed.values()].flatMap((doc) => {
    const v = doc ? versionAt(overdueVersions(doc), watermark) : undefined;
    return v && doc ? [versionRow(v, doc.issueDate)] : [];
  });
  const { rows } = await tx.query(replaceOpenSql(t, 'SELECT unnest($1::text[]) AS invoice_id', `SELECT * FROM json_to_recordset($2::json) AS r(${RECORD})`),
    [ids, JSON.stringify(open)]);
  await refreshWeights(tx, t, rows);
  const stretch = (r: { valid_from: string; valid_to: string; currency: string; due_date: string; outstanding: number }): Omit<TotalsStretch, 'count'> => ({
    validFrom: r.valid_from, validTo: r.valid_to, currency: r.currency, dueDate: r.due_date, outstanding: Number(r.outstanding) });
  await correctDayTotals(tx, t, totalsChange(before.map(stretch), versions.map(({ v, issueDate }) => stretch(versionRow(v, issueDate)))), watermark);
}

/** Each touched customer's latest paid invoices (its prediction inputs), from the documents' index on (customer_id, closed_on). */
async function applyPayers(tx: PoolClient, t: Tables, changed: Map<string, ReceivableInvoiceDoc | null>): Promise<void> {
  const customers = [...new Set([...changed.values()].flatMap((d) => (d ? [d.customerId] : [])))].sort();
  if (customers.length === 0) return;
  const { rows } = await tx.query(
    `SELECT c.id AS customer_id, coalesce(json_agg(d.doc ORDER BY d.closed_on DESC, d.id) FILTER (WHERE d.id IS NOT NULL), '[]') AS docs
       FROM unnest($1::text[]) c(id)
       LEFT JOIN LATERAL (SELECT id, doc, closed_on FROM ${t.documents} WHERE customer_id = c.id AND outstanding = 0 AND closed_on IS NOT NULL
                           ORDER BY closed_on DESC, id LIMIT ${PREDICTION_RULE.lastPaid * 3}) d ON true
      GROUP BY c.id`, [customers]);
  const paid = rows.map((r) => [r.customer_id, (r.docs as ReceivableInvoiceDoc[]).map(paidInvoiceOf).filter((p) => p !== null).slice(0, PREDICTION_RULE.lastPaid)] as const);
  await tx.query(`DELETE FROM ${t.payers} WHERE customer_id = ANY($1)`, [paid.filter(([, p]) => p.length === 0).map(([c]) => c)]);
  const kept = paid.filter(([, p]) => p.length > 0);
  if (kept.length > 0) {
    await tx.query(`INSERT INTO ${t.payers} (customer_id, paid) SELECT x->>0, x->1 FROM json_array_elements($1::json) x ORDER BY 1
      ON CONFLICT (customer_id) DO UPDATE SET paid = EXCLUDED.paid`, [JSON.stringify(kept)]);
  }
}

/**
 * Keeps the SQL tables from a batch: business days first (the watermark moves to the latest
 * close in the batch), then the changed invoices at that watermark. Every row is a function of
 * the documents and the watermark, so batch boundaries (a rebuild's) give the same rows.
 */
export async function applyOverdueBatch({ tx, events, changed, tables }: CompanionBatch<ReceivableInvoiceDoc>): Promise<void> {
  const closes = events.filter((e) => e.type === 'BusinessDayClosed');
  const watermark = await lockWatermark(tx, tables, closes.length > 0);
  await countCloses(tx, tables, events, closes);
  let applied = watermark;
  for (const close of closes) {
    const date = (close.data as { businessDate: string }).businessDate;
    if (applied !== null && date <= applied) continue;
    await applyBusinessDay(tx, tables, applied, date);
    applied = date;
  }
  if (changed.size === 0) return;
  await applyInvoices(tx, tables, changed, applied);
  await applyPayers(tx, tables, changed);
}
