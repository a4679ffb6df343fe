import { daysBetween } from '@crm/contracts';
import { companionTableName } from '@crm/eventing';
import { PaidInvoice, placeInSegment, SegmentPlacement, SegmentRules, WorklistSegment, worklistScore } from '@crm/receivables-domain';
import { Pool, PoolClient } from 'pg';

const t = (name: string) => companionTableName('receivable_invoices', name);
const CHUNK = 500;

/**
 * One segment of the worklist (issue 10): overdue invoices in the order of the collector's
 * score (disputes not zeroed: deprioritized rows are listed too), read through a server-side
 * cursor in chunks of 500 whose customers' facts are fetched together, each placed by the
 * segment rules given (the version in force), until the page is full. Memory: one chunk and the page.
 */
export async function segmentWorklist(pool: Pool, source: (param: string) => string, asOf: string, segment: WorklistSegment, limit: number, rules: SegmentRules) {
  const client = await pool.connect();
  const page: Array<{ row: Record<string, any>; placement: SegmentPlacement; score: number }> = [];
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`DECLARE segment_rows NO SCROLL CURSOR FOR
      SELECT o.invoice_id, o.customer_id, o.number, o.currency, o.outstanding::float8 AS outstanding, o.due_date::text AS due_date,
             o.issue_date::text AS issue_date, o.dunning_level, o.promised_date::text AS promised_date, o.disputed
        FROM ${source('$1::date')} WHERE o.due_date < $1::date
       ORDER BY o.outstanding::float8 * ($1::date - o.due_date)::float8 * (1 + o.dunning_level::float8 / 5) DESC, o.invoice_id`, [asOf]);
    while (page.length < limit) {
      const { rows } = await client.query(`FETCH ${CHUNK} FROM segment_rows`);
      if (rows.length === 0) break;
      const facts = await chunkFacts(client, rows, asOf);
      for (const row of rows) {
        const f = facts(row);
        const placement = placeInSegment(segment, f, rules);
        if (placement) page.push({ row, placement, score: worklistScore({ ...row, daysOverdue: daysBetween(row.due_date, asOf), dunningLevel: row.dunning_level }) });
        if (page.length === limit) break;
      }
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  return page;
}

/** The customers' facts for one chunk, in four statements whatever its size. */
async function chunkFacts(db: PoolClient, rows: Array<Record<string, any>>, asOf: string) {
  const customers = [...new Set(rows.map((r) => r.customer_id as string))];
  const [payers, limits, open, unmatched, broken] = await Promise.all([
    db.query(`SELECT customer_id, paid FROM ${t('payers')} WHERE customer_id = ANY($1)`, [customers]),
    db.query(`SELECT id, doc->'limit' AS limit FROM credit_positions WHERE id = ANY($1)`, [customers]),
    db.query(`SELECT customer_id, currency, sum(outstanding)::float8 AS amount FROM ${t('open')} WHERE customer_id = ANY($1) GROUP BY 1, 2`, [customers]),
    db.query(`SELECT customer_id, currency, sum(unapplied)::float8 AS amount FROM unapplied_payments
               WHERE customer_id = ANY($1) AND unapplied > 0 AND received_on <= $2 GROUP BY 1, 2`, [customers, asOf]),
    db.query(`SELECT id, (SELECT count(*)::int FROM jsonb_array_elements(doc->'promises') p
                WHERE (p->>'broken')::boolean AND p->>'resolvedOn' <= $2) AS n FROM receivable_invoices WHERE id = ANY($1)`, [rows.map((r) => r.invoice_id), asOf]),
  ]);
  const paid = new Map<string, PaidInvoice[]>(payers.rows.map((r) => [r.customer_id, r.paid]));
  const limit = new Map<string, { amount: number; currency: string } | null>(limits.rows.map((r) => [r.id, r.limit]));
  const amounts = (result: typeof open) => new Map(result.rows.map((r) => [`${r.customer_id}|${r.currency}`, r.amount as number]));
  const [openBy, unmatchedBy] = [amounts(open), amounts(unmatched)];
  const brokenBy = new Map<string, number>(broken.rows.map((r) => [r.id, r.n]));
  return (row: Record<string, any>) => {
    const customerLimit = limit.get(row.customer_id) ?? null;
    return { asOf, outstanding: row.outstanding, currency: row.currency, dunningLevel: row.dunning_level, disputed: row.disputed,
      promisedDate: row.promised_date, brokenPromises: brokenBy.get(row.invoice_id) ?? 0, paid: paid.get(row.customer_id) ?? [],
      limit: customerLimit, openInLimitCurrency: customerLimit ? openBy.get(`${row.customer_id}|${customerLimit.currency}`) ?? 0 : 0,
      unmatchedCash: unmatchedBy.get(`${row.customer_id}|${row.currency}`) ?? 0 };
  };
}
