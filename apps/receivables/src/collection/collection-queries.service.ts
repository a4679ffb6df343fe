import { Inject, Injectable } from '@nestjs/common';
import { daysBetween } from '@crm/contracts';
import { companionTableName } from '@crm/eventing';
import { PG_POOL } from '@crm/platform';
import { AGING_BUCKETS, AgingBucket, agingBucket, PaidInvoice, predictPaymentDate, ReceivableInvoiceDoc, SegmentRules, WorklistSegment, worklistScore } from '@crm/receivables-domain';
import { segmentWorklist } from './worklist-segments.query';
import { Pool } from 'pg';
import { allowanceAtSql, allowanceRateSql, bucketSql, scoreSql } from '../read-models/overdue-sql';
import { decodeCursor, encodeCursor } from './overdue-cursor';

const DOCUMENTS = 'receivable_invoices';
const t = (name: string) => companionTableName(DOCUMENTS, name);

/** The business date a read answers for, and whether the `open` rows are that date's (else the history is read). */
export interface ReadDate {
  asOf: string;
  current: boolean;
}

export interface OverdueFilter {
  customerId?: string;
  currency?: string;
  dunningLevel?: number;
  minDaysOverdue?: number;
}

export interface OverdueRow {
  customerId: string;
  invoiceId: string;
  number: string;
  currency: string;
  outstanding: number;
  dueDate: string;
  daysOverdue: number;
  bucket: AgingBucket;
  dunningLevel: number;
  promisedDate: string | null;
  disputed: boolean;
  predictedPaymentDate: string | null;
  predictionBasis: ReturnType<typeof predictPaymentDate>['predictionBasis'];
}

const SELECT_ROW = `o.invoice_id, o.customer_id, o.number, o.currency, o.outstanding::float8 AS outstanding, o.due_date::text AS due_date,
  o.issue_date::text AS issue_date, o.dunning_level, o.promised_date::text AS promised_date, o.disputed`;
/** A page's rows with their customer's paid invoices (prediction inputs), read in the same round trip: evaluated only for the rows returned. */
const SELECT_ROW_WITH_PAID = `${SELECT_ROW}, (SELECT p.paid FROM ${t('payers')} p WHERE p.customer_id = o.customer_id) AS paid`;

/**
 * Reads of the overdue read model (ADR 27) in SQL: keyset pages from indexes, aging and
 * allowance from per-due-date totals. Memory per request is bounded by the page it returns.
 */
@Injectable()
export class CollectionQueriesService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * `?asOf=` when given; else the last business day the read model has fully applied: its
   * watermark, once that day's close has finished and every event it appended is applied, so
   * days overdue and dunning levels always come from the same day (else the day before it).
   */
  async readDate(asOf?: string): Promise<ReadDate | null> {
    const { rows: [row] } = await this.pool.query(
      `SELECT w.applied_through::text AS applied,
              (SELECT c.business_date::text FROM ${t('closes')} c JOIN day_close_runs r ON r.business_date = c.business_date
                WHERE c.business_date <= w.applied_through AND r.status <> 'running'
                  AND (c.applied >= (SELECT coalesce(sum(value::bigint), 0) FROM jsonb_each_text(r.recorded))
                       -- a tally a crash left short must not hold the list back for good
                       OR r.completed_at < now() - interval '10 seconds')
                ORDER BY c.business_date DESC LIMIT 1) AS served
         FROM ${t('watermark')} w WHERE w.id = 1`);
    const applied: string | null = row?.applied ?? null;
    const date = asOf ?? row?.served ?? null;
    return date === null ? null : { asOf: date, current: date === applied };
  }

  /** Rows valid at the date: the open rows when they are that date's, else the history. */
  private source(date: ReadDate, param: string): string {
    return date.current ? `${t('open')} o` : `(SELECT * FROM ${t('versions')} WHERE valid_from <= ${param} AND valid_to > ${param}) o`;
  }

  async overdue(date: ReadDate, filter: OverdueFilter, sort: 'days' | 'amount', limit: number, cursor?: string) {
    const params: unknown[] = [date.asOf, Math.max(1, filter.minDaysOverdue ?? 1)];
    const where = [`o.due_date <= $1::date - $2::int`];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.customerId !== undefined) add((p) => `o.customer_id = ${p}`, filter.customerId);
    if (filter.currency !== undefined) add((p) => `o.currency = ${p}`, filter.currency);
    if (filter.dunningLevel !== undefined) add((p) => `o.dunning_level = ${p}`, filter.dunningLevel);
    const order = sort === 'days' ? 'o.due_date, (-o.outstanding), o.invoice_id' : '(-o.outstanding), o.due_date, o.invoice_id';
    if (cursor) {
      const c = decodeCursor(cursor, sort);
      params.push(c.dueDate, -c.outstanding, c.invoiceId);
      const [d, o, i] = [params.length - 2, params.length - 1, params.length].map((n) => `$${n}`);
      where.push(sort === 'days' ? `(${order}) > (${d}::date, ${o}::bigint, ${i}::text)` : `(${order}) > (${o}::bigint, ${d}::date, ${i}::text)`);
    }
    params.push(limit + 1);
    const { rows } = await this.pool.query(
      `SELECT ${SELECT_ROW_WITH_PAID} FROM ${this.source(date, '$1::date')} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${params.length}`, params);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit
      ? encodeCursor({ sort, dueDate: last.due_date, outstanding: last.outstanding, invoiceId: last.invoice_id }) : null;
    return { items: await this.withPredictions(page, date.asOf), nextCursor };
  }

  /**
   * Overdue, undisputed invoices by the collector's score, highest first. Score = weight ×
   * days overdue, and the highest weight of each due date is kept: due dates are read in the
   * order of the best score they could hold, a few at a time (each its top rows from the
   * index), until no unread due date could beat the page's last score. Reads a few due dates'
   * top rows, never the whole overdue set.
   */
  async worklist(date: ReadDate, limit: number) {
    if (!date.current) {
      const { rows } = await this.pool.query(`SELECT * FROM (SELECT ${SELECT_ROW}, ${scoreSql('$1::date', 'o.')} AS score FROM ${this.source(date, '$1::date')}) s
        WHERE s.score > 0 ORDER BY s.score DESC, s.invoice_id LIMIT $2`, [date.asOf, limit]);
      return this.scored(rows, date.asOf);
    }
    const { rows: dates } = await this.pool.query(
      `SELECT due_date::text AS due_date, max_weight FROM ${t('weights')} WHERE due_date < $1::date`, [date.asOf]);
    // A hair above the exact product: the bound must never fall below a score it stands for.
    const groups = dates.map((d) => ({ dueDate: d.due_date as string, bound: d.max_weight * daysBetween(d.due_date, date.asOf) * (1 + 1e-9) }))
      .sort((a, b) => b.bound - a.bound);
    let best: Array<Record<string, any>> = [];
    for (let next = 0, width = 4; next < groups.length; next += width, width = Math.min(width * 2, 64)) {
      const batch = groups.slice(next, next + width);
      const { rows } = await this.pool.query(
        `SELECT r.* FROM unnest($1::date[]) g(due_date) CROSS JOIN LATERAL (SELECT ${SELECT_ROW} FROM ${t('open')} o
           WHERE o.due_date = g.due_date AND o.weight > 0 ORDER BY o.weight DESC, o.invoice_id LIMIT $2) r`, [batch.map((g) => g.dueDate), limit]);
      best = [...best, ...rows.map((r) => ({ ...r, score: worklistScore({ ...r, daysOverdue: daysBetween(r.due_date, date.asOf), dunningLevel: r.dunning_level }) }))]
        .sort((a, b) => b.score - a.score || (a.invoice_id < b.invoice_id ? -1 : 1)).slice(0, limit);
      const unread = groups[next + width];
      if (!unread || (best.length === limit && best[limit - 1].score > unread.bound)) break;
    }
    return this.scored(best, date.asOf);
  }

  /** One segment of the worklist, each row with the rule (and its policy version) that placed it. */
  async segment(date: ReadDate, segment: WorklistSegment, limit: number, rules: SegmentRules) {
    const page = await segmentWorklist(this.pool, (p) => this.source(date, p), date.asOf, segment, limit, rules);
    const items = await this.withPredictions(page.map((p) => p.row), date.asOf);
    return items.map((item, i) => ({ ...item, score: page[i].score, segment: page[i].placement }));
  }

  private async scored(rows: Array<Record<string, any>>, asOf: string) {
    const items = await this.withPredictions(rows, asOf);
    return items.map((item, i) => ({ ...item, score: rows[i].score as number }));
  }

  /**
   * Where per-due-date totals of the date are kept: the live `totals` for the open rows' date,
   * the day's `day_totals` for an applied business day (ADR 35), else none (the history is read).
   * `fromVersions` skips them (to check that they agree with the dated versions).
   */
  private async totalsAt(date: ReadDate, fromVersions: boolean): Promise<string | null> {
    if (fromVersions) return null;
    if (date.current) return t('totals');
    const { rows } = await this.pool.query(`SELECT 1 FROM ${t('closed_days')} WHERE business_date = $1`, [date.asOf]);
    return rows.length > 0 ? `(SELECT * FROM ${t('day_totals')} WHERE business_date = $1::date) d` : null;
  }

  /** Outstanding per currency and bucket; every open invoice lands in exactly one bucket. */
  async aging(date: ReadDate, filter: { customerId?: string; currency?: string }, { fromVersions = false } = {}) {
    const days = '($1::date - due_date)';
    const totals = filter.customerId === undefined ? await this.totalsAt(date, fromVersions) : null;
    const { rows } = totals !== null
      ? await this.pool.query(`SELECT currency, ${bucketSql(days)} AS bucket, sum(outstanding)::float8 AS amount FROM ${totals}
          WHERE ($2::text IS NULL OR currency = $2) GROUP BY 1, 2`, [date.asOf, filter.currency ?? null])
      : await this.pool.query(`SELECT currency, ${bucketSql(days)} AS bucket, sum(outstanding)::float8 AS amount FROM ${this.source(date, '$1::date')}
          WHERE ($2::text IS NULL OR currency = $2) AND ($3::text IS NULL OR customer_id = $3) GROUP BY 1, 2`,
      [date.asOf, filter.currency ?? null, filter.customerId ?? null]);
    const byCurrency = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const buckets = byCurrency.get(r.currency) ?? Object.fromEntries(AGING_BUCKETS.map((b) => [b.name, 0]));
      buckets[r.bucket] += r.amount;
      byCurrency.set(r.currency, buckets);
    }
    return [...byCurrency.entries()].sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, buckets]) => ({ currency, buckets, total: Object.values(buckets).reduce((a, b) => a + b, 0) }));
  }

  /** Allowance for doubtful debts per currency, rounded per invoice (`allowanceFor`). */
  async allowance(date: ReadDate, { fromVersions = false } = {}) {
    const days = '($1::date - due_date)';
    const totals = await this.totalsAt(date, fromVersions);
    const { rows } = totals !== null
      ? await this.pool.query(`SELECT currency, sum(outstanding)::float8 AS outstanding, sum(${allowanceAtSql(days)})::float8 AS allowance
          FROM ${totals} GROUP BY 1 ORDER BY 1`, [date.asOf])
      : await this.pool.query(`SELECT currency, sum(outstanding)::float8 AS outstanding,
          sum(round(outstanding::numeric * ${allowanceRateSql(days)}))::float8 AS allowance FROM ${this.source(date, '$1::date')} GROUP BY 1 ORDER BY 1`,
      [date.asOf]);
    return rows.map((r) => ({ currency: r.currency, outstanding: r.outstanding, allowance: r.allowance }));
  }

  /** The customers' paid-invoice histories, for the rows of one page. */
  async paidHistories(customerIds: string[]): Promise<Map<string, PaidInvoice[]>> {
    if (customerIds.length === 0) return new Map();
    const { rows } = await this.pool.query(`SELECT customer_id, paid FROM ${t('payers')} WHERE customer_id = ANY($1)`, [[...new Set(customerIds)]]);
    return new Map(rows.map((r) => [r.customer_id, r.paid]));
  }

  /** Rows with their predicted payment date; rows read with SELECT_ROW_WITH_PAID carry their histories (`paid`), others are looked up. */
  private async withPredictions(rows: any[], asOf: string): Promise<OverdueRow[]> {
    const carried = rows.length > 0 && rows.every((r) => 'paid' in r);
    const histories: Map<string, PaidInvoice[]> = carried ? new Map(rows.map((r) => [r.customer_id, r.paid ?? []])) : await this.paidHistories(rows.map((r) => r.customer_id));
    return rows.map((r) => {
      const daysOverdue = Math.max(0, daysBetween(r.due_date, asOf));
      // As of the date: only invoices paid by then (the history keeps each payer's latest paid invoices).
      const paidBy = (histories.get(r.customer_id) ?? []).filter((p) => p.paidOn <= asOf);
      const prediction = predictPaymentDate({ dueDate: r.due_date, issueDate: r.issue_date, disputed: r.disputed }, paidBy, asOf);
      return { customerId: r.customer_id, invoiceId: r.invoice_id, number: r.number, currency: r.currency, outstanding: r.outstanding,
        dueDate: r.due_date, daysOverdue, bucket: agingBucket(daysOverdue), dunningLevel: r.dunning_level, promisedDate: r.promised_date,
        disputed: r.disputed, ...prediction };
    });
  }

  async docsIssuedBetween(from: string, to: string): Promise<ReceivableInvoiceDoc[]> {
    const { rows } = await this.pool.query(`SELECT doc FROM ${DOCUMENTS} WHERE issue_date BETWEEN $1 AND $2`, [from, to]);
    return rows.map((r) => r.doc);
  }
}
