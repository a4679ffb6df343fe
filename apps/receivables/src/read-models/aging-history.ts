import { CompanionTable } from '@crm/eventing';
import { PoolClient } from 'pg';
import { ALLOWANCE_BUCKETS, allowanceColumnsSql } from './overdue-sql';

/**
 * The totals of every applied business day (ADR 35), so aging and allowance for a past day
 * read that day's few rows instead of aggregating the dated versions valid then:
 * - `day_totals`: per business day, currency and due date, what the `totals` held once that
 *   day's close was applied (invoices, outstanding, allowance at each rate);
 * - `closed_days`: the business days with totals (every day close the read model applied).
 * They stay equal to the versions valid on each day: a change that rewrites an invoice's
 * history on or before the watermark (a payment dated in the past, a rebuild whose day closes
 * ran ahead of an account's events) corrects the days it spans.
 */
export const AGING_HISTORY_COMPANIONS: CompanionTable[] = [
  { name: 'day_totals', columns: [`business_date date NOT NULL, currency text NOT NULL, due_date date NOT NULL, invoices bigint NOT NULL,
    outstanding bigint NOT NULL, ${ALLOWANCE_BUCKETS.map((b) => `${b.column} bigint NOT NULL`).join(', ')}`, 'PRIMARY KEY (business_date, currency, due_date)'] },
  { name: 'closed_days', columns: ['business_date date PRIMARY KEY'] },
];

type Tables = Record<string, string>;

/** A stretch of dates `[validFrom, validTo)` ('infinity': still valid) over which `count` invoices of that outstanding count in a (currency, due date). */
export interface TotalsStretch {
  validFrom: string;
  validTo: string;
  currency: string;
  dueDate: string;
  outstanding: number;
  count: number;
}

const INFINITY = 'infinity';

/**
 * What replacing an invoice's versions `before` by `after` changes in the totals of each day,
 * as stretches with a non-zero count (pure). A change dated after the last closed day nets to
 * stretches that start after it: the common case (today's payment) touches no past day.
 */
export function totalsChange(before: Omit<TotalsStretch, 'count'>[], after: Omit<TotalsStretch, 'count'>[]): TotalsStretch[] {
  const steps = new Map<string, Map<string, number>>();
  const step = (v: Omit<TotalsStretch, 'count'>, sign: number) => {
    const key = JSON.stringify([v.currency, v.dueDate, v.outstanding]);
    const byDate = steps.get(key) ?? new Map<string, number>();
    byDate.set(v.validFrom, (byDate.get(v.validFrom) ?? 0) + sign);
    if (v.validTo !== INFINITY) byDate.set(v.validTo, (byDate.get(v.validTo) ?? 0) - sign);
    steps.set(key, byDate);
  };
  before.forEach((v) => step(v, -1));
  after.forEach((v) => step(v, 1));
  const stretches: TotalsStretch[] = [];
  for (const [key, byDate] of steps) {
    const [currency, dueDate, outstanding] = JSON.parse(key) as [string, string, number];
    // ISO dates sort as text, and 'infinity' after them all.
    const dates = [...byDate.keys()].sort();
    let count = 0;
    dates.forEach((date, i) => {
      count += byDate.get(date) ?? 0;
      if (count !== 0) stretches.push({ validFrom: date, validTo: dates[i + 1] ?? INFINITY, currency, dueDate, outstanding, count });
    });
  }
  return stretches;
}

/** At a day close: the day's totals (the `totals` just moved to it) become that day's history. */
export async function recordDayTotals(tx: PoolClient, t: Tables, day: string): Promise<void> {
  const columns = ['currency', 'due_date', 'invoices', 'outstanding', ...ALLOWANCE_BUCKETS.map((b) => b.column)].join(', ');
  await tx.query(`INSERT INTO ${t.closed_days} (business_date) VALUES ($1) ON CONFLICT DO NOTHING`, [day]);
  await tx.query(`INSERT INTO ${t.day_totals} (business_date, ${columns})
    SELECT $1::date, ${columns} FROM ${t.totals} WHERE invoices <> 0 ORDER BY currency, due_date
    ON CONFLICT (business_date, currency, due_date) DO NOTHING`, [day]);
}

/** Applies stretches of changes to the closed days they span (days after `watermark` have no totals yet). */
export async function correctDayTotals(tx: PoolClient, t: Tables, change: TotalsStretch[], watermark: string | null): Promise<void> {
  const past = watermark === null ? [] : change.filter((s) => s.validFrom <= watermark);
  if (past.length === 0) return;
  const columns = ALLOWANCE_BUCKETS.map((b) => b.column);
  const { rows } = await tx.query(
    `INSERT INTO ${t.day_totals} AS t (business_date, currency, due_date, invoices, outstanding, ${columns.join(', ')})
     SELECT d.business_date, s.currency, s.due_date, sum(s.count), sum(s.count * s.outstanding),
            ${allowanceColumnsSql('s.outstanding').map((a) => `sum(s.count * ${a})`).join(', ')}
       FROM json_to_recordset($1::json) AS s(valid_from date, valid_to date, currency text, due_date date, outstanding bigint, count bigint)
       JOIN ${t.closed_days} d ON d.business_date >= s.valid_from AND d.business_date < s.valid_to
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
     ON CONFLICT (business_date, currency, due_date) DO UPDATE SET invoices = t.invoices + EXCLUDED.invoices,
       outstanding = t.outstanding + EXCLUDED.outstanding, ${columns.map((c) => `${c} = t.${c} + EXCLUDED.${c}`).join(', ')}
     RETURNING business_date::text, currency, due_date::text, invoices`,
    [JSON.stringify(past.map((s) => ({ valid_from: s.validFrom, valid_to: s.validTo, currency: s.currency, due_date: s.dueDate,
      outstanding: s.outstanding, count: s.count })))]);
  const emptied = rows.filter((r) => Number(r.invoices) === 0);
  if (emptied.length === 0) return;
  await tx.query(`DELETE FROM ${t.day_totals} WHERE (business_date, currency, due_date) IN
      (SELECT * FROM unnest($1::date[], $2::text[], $3::date[]))`,
  [emptied.map((r) => r.business_date), emptied.map((r) => r.currency), emptied.map((r) => r.due_date)]);
}
