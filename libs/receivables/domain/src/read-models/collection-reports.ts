import { daysBetween } from '@crm/contracts';
import { AGING_BUCKETS, allowanceFor } from '../receivables-policy';
import { InvoiceView } from './receivable-invoice.read-model';

export type AgingTotals = Record<string, Record<string, number>>;

/** Outstanding per currency and bucket; every open invoice lands in exactly one bucket. */
export function agingTotals(views: InvoiceView[]): Array<{ currency: string; buckets: Record<string, number>; total: number }> {
  const byCurrency = new Map<string, Record<string, number>>();
  for (const v of views.filter((x) => x.outstanding > 0)) {
    const buckets = byCurrency.get(v.currency) ?? Object.fromEntries(AGING_BUCKETS.map((b) => [b.name, 0]));
    buckets[v.bucket] += v.outstanding;
    byCurrency.set(v.currency, buckets);
  }
  return [...byCurrency.entries()].sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, buckets]) => ({ currency, buckets, total: Object.values(buckets).reduce((a, b) => a + b, 0) }));
}

export function allowance(views: InvoiceView[]) {
  const byCurrency = new Map<string, { currency: string; outstanding: number; allowance: number }>();
  for (const v of views.filter((x) => x.outstanding > 0)) {
    const row = byCurrency.get(v.currency) ?? { currency: v.currency, outstanding: 0, allowance: 0 };
    row.outstanding += v.outstanding;
    row.allowance += allowanceFor(v.outstanding, v.daysOverdue);
    byCurrency.set(v.currency, row);
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/**
 * Collector's worklist order: amount × days overdue × risk, where risk grows with the dunning
 * level already reached (1.0 at level 0 up to 2.0 at level 5). Disputed invoices are left out:
 * they are not dunned until resolved.
 */
export function worklistScore(v: InvoiceView): number {
  return v.outstanding * v.daysOverdue * (1 + v.dunningLevel / 5);
}

export function isOverdue(v: InvoiceView): boolean {
  return v.outstanding > 0 && v.daysOverdue >= 1;
}

/** Last day of a YYYY-MM period and its length in days. */
export function periodBounds(period: string): { first: string; last: string; days: number; dayBefore: string } {
  const [y, m] = period.split('-').map(Number);
  const first = `${period}-01`;
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  const dayBefore = new Date(Date.UTC(y, m - 1, 0)).toISOString().slice(0, 10);
  return { first, last, days: daysBetween(first, last) + 1, dayBefore };
}
