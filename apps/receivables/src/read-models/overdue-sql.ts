import { AGING_BUCKETS } from '@crm/receivables-domain';

/**
 * SQL pieces of the overdue read model that follow from the aging policy (data), written once
 * so the projection, the queries and the bench compute buckets, allowance and the worklist
 * score the same way as `agingBucket`, `allowanceFor` and `worklistScore`.
 */

/** The aging bucket of `days` days past due (an SQL expression). */
export function bucketSql(days: string): string {
  const cases = AGING_BUCKETS.map((b) => {
    const lower = Number.isFinite(b.from) ? `${days} >= ${b.from}` : 'true';
    const upper = Number.isFinite(b.to) ? `${days} <= ${b.to}` : 'true';
    return `WHEN ${lower} AND ${upper} THEN '${b.name}'`;
  });
  return `(CASE ${cases.join(' ')} END)`;
}

/** Buckets with an allowance rate: each has a column of per-invoice rounded allowances in the totals. */
export const ALLOWANCE_BUCKETS = AGING_BUCKETS.map((b, i) => ({ ...b, column: `allowance_${i}` })).filter((b) => b.allowanceRate > 0);

/** The allowance of `outstanding` at each rate, rounded half up per invoice like `allowanceFor`. */
export function allowanceColumnsSql(outstanding: string): string[] {
  return ALLOWANCE_BUCKETS.map((b) => `round(${outstanding}::numeric * ${b.allowanceRate})::bigint`);
}

/** Allowance of a totals row at `days` days past due: the column of the bucket those days fall in. */
export function allowanceAtSql(days: string): string {
  const cases = ALLOWANCE_BUCKETS.map((b) => {
    const upper = Number.isFinite(b.to) ? ` AND ${days} <= ${b.to}` : '';
    return `WHEN ${days} >= ${b.from}${upper} THEN ${b.column}`;
  });
  return `(CASE ${cases.join(' ')} ELSE 0 END)`;
}

/**
 * The collector's worklist score as of business date `asOf` (`worklistScore`: outstanding ×
 * days overdue × (1 + level ÷ 5)); 0 when not overdue or disputed, which leaves the row off.
 */
export function scoreSql(asOf: string, row = ''): string {
  const c = (name: string) => `${row}${name}`;
  return `(CASE WHEN ${c('due_date')} < ${asOf} AND NOT ${c('disputed')} AND ${c('outstanding')} > 0
    THEN ${c('outstanding')}::float8 * (${asOf} - ${c('due_date')})::float8 * (1 + ${c('dunning_level')}::float8 / 5) ELSE 0 END)`;
}

/** The allowance rate of the bucket `days` falls in (an SQL numeric). */
export function allowanceRateSql(days: string): string {
  const cases = ALLOWANCE_BUCKETS.map((b) => `WHEN ${days} >= ${b.from}${Number.isFinite(b.to) ? ` AND ${days} <= ${b.to}` : ''} THEN ${b.allowanceRate}`);
  return `(CASE ${cases.join(' ')} ELSE 0 END)`;
}

/**
 * What the worklist score multiplies days overdue by: outstanding × (1 + level ÷ 5), 0 when
 * disputed. Stored per row (it changes only with the invoice's events), so a day passing
 * rewrites nothing; the worklist reads the highest score = weight × days per due date.
 */
export function weightSql(row = ''): string {
  const c = (name: string) => `${row}${name}`;
  return `(CASE WHEN NOT ${c('disputed')} AND ${c('outstanding')} > 0 THEN ${c('outstanding')}::float8 * (1 + ${c('dunning_level')}::float8 / 5) ELSE 0 END)`;
}
