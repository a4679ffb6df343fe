import { daysBetween } from '@crm/contracts';
/**
 * Classification rules (DOMAIN.md "Customers"), pure: amounts are minor units already in the
 * policy's reporting currency; dates are business dates (YYYY-MM-DD); no clock.
 */
export type AbcClass = 'A' | 'B' | 'C';
export type LifecycleStage = 'prospect' | 'new' | 'repeat' | 'loyal' | 'at_risk' | 'churned';

export interface ClassificationPolicy {
  reportingCurrency: string;
  /** Minor units of the reporting currency per minor unit of each other currency. */
  rates: Record<string, number>;
  /** Retention probability without and with an open churn-risk flag (CLV). */
  retention: { base: number; atRisk: number };
}

/** An amount in the reporting currency; a currency without a rate cannot be ranked. */
export function toReporting(amount: number, currency: string, policy: ClassificationPolicy): number {
  if (currency === policy.reportingCurrency) return amount;
  const rate = policy.rates[currency];
  if (rate === undefined) throw new Error(`no rate from ${currency} to ${policy.reportingCurrency}`);
  return Math.round(amount * rate);
}

/** The business date 12 months before (2026-02-28 → 2025-02-28; 2024-02-29 → 2023-02-28). */
export function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

const inTrailingYear = (on: string, asOf: string) => on > monthsBefore(asOf, 12) && on <= asOf;

export function trailing12Months(entries: Array<{ on: string; amount: number }>, asOf: string): number {
  return entries.filter((e) => inTrailingYear(e.on, asOf)).reduce((sum, e) => sum + e.amount, 0);
}

/**
 * ABC: customers ranked by trailing-12-month invoiced amount (ties by id, so the ranking is
 * stable); A = the smallest set of top customers whose revenue covers 80 % of the total, B the
 * next ones up to 95 %, C the rest, including every customer with no revenue. A customer
 * that brings the cover to exactly 80 % is the last A.
 */
export function abcClasses(revenues: Array<{ customerId: string; revenue: number }>): Map<string, AbcClass> {
  const total = revenues.reduce((s, r) => s + Math.max(0, r.revenue), 0);
  const ranked = [...revenues].sort((a, b) => b.revenue - a.revenue || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  const classes = new Map<string, AbcClass>();
  let coveredBefore = 0;
  for (const { customerId, revenue } of ranked) {
    // Integer comparisons: before * 100 < 80 * total, no floating-point edge at exactly 80 %.
    const cls: AbcClass = revenue <= 0 || total === 0 ? 'C' : coveredBefore * 100 < 80 * total ? 'A' : coveredBefore * 100 < 95 * total ? 'B' : 'C';
    classes.set(customerId, cls);
    coveredBefore += Math.max(0, revenue);
  }
  return classes;
}

export interface LifecycleFacts {
  /** Issue dates of the customer's invoices. */
  invoiceDates: string[];
  /** Share of invoices paid on time (0..1); null when none was due yet. */
  onTimeRatio: number | null;
  churnRiskOpen: boolean;
  relationshipEnded: boolean;
}

/**
 * prospect (no invoice) → new (1) → repeat (2+) → loyal (an invoice in each of the last four
 * quarters and ≥ 90 % paid on time) → at_risk (open churn-risk flag) → churned (no invoice for
 * 365 days, or the relationship ended). A later invoice brings a churned or at-risk customer
 * back (to repeat, or loyal) once the flag is closed.
 */
export function lifecycleStage(facts: LifecycleFacts, asOf: string): LifecycleStage {
  const dates = facts.invoiceDates.filter((d) => d <= asOf).sort();
  if (facts.relationshipEnded) return 'churned';
  if (dates.length > 0 && daysBetween(dates[dates.length - 1], asOf) >= 365) return 'churned';
  if (facts.churnRiskOpen) return 'at_risk';
  if (dates.length === 0) return 'prospect';
  if (dates.length === 1) return 'new';
  const quarters = [0, 3, 6, 9].map((m) => [monthsBefore(asOf, m + 3), monthsBefore(asOf, m)] as const);
  const everyQuarter = quarters.every(([from, to]) => dates.some((d) => d > from && d <= to));
  if (everyQuarter && facts.onTimeRatio !== null && facts.onTimeRatio >= 0.9) return 'loyal';
  return 'repeat';
}

export interface RfmInput {
  customerId: string;
  /** Days since the last invoice or payment; null: neither yet (the worst recency). */
  recencyDays: number | null;
  /** Invoices issued in the trailing 12 months. */
  frequency: number;
  /** Amount invoiced in the trailing 12 months (reporting currency): the revenue ABC ranks by. */
  monetary: number;
}

export interface RfmScore { r: number; f: number; m: number }

/** A score and what it was computed from: how many of the ranked customers scored strictly worse. */
export interface RfmRank { score: RfmScore; strictlyWorse: RfmScore; ranked: number }

/** Recorded with every score, so a later change of the rule is visible in the events. */
export const RFM_RULE = 'quintile = 1 + floor(5 * strictlyWorse / ranked)';

/**
 * Quintile scores 1–5 across all customers: score = 1 + ⌊5 · (customers strictly worse) / n⌋.
 * Equal values always share a score (the score of the lowest place they hold together), the
 * best fifth scores 5, and a value most customers share (never invoiced, nothing paid) scores
 * as low as its lowest holder: ties never split, so quintiles are uneven when values repeat.
 */
export function rfmRanks(rows: RfmInput[]): Map<string, RfmRank> {
  const n = rows.length;
  const worseCounter = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return (v: number) => {
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] < v) lo = mid + 1; else hi = mid; }
      return lo;
    };
  };
  // Higher is better for every measure: recency is negated, no activity at all is the lowest.
  const recencyValue = (r: RfmInput) => (r.recencyDays === null ? -Infinity : -r.recencyDays);
  const r = worseCounter(rows.map(recencyValue));
  const f = worseCounter(rows.map((x) => x.frequency));
  const m = worseCounter(rows.map((x) => x.monetary));
  const quintile = (worse: number) => 1 + Math.floor((5 * worse) / n);
  return new Map(rows.map((x) => {
    const worse = { r: r(recencyValue(x)), f: f(x.frequency), m: m(x.monetary) };
    return [x.customerId, { score: { r: quintile(worse.r), f: quintile(worse.f), m: quintile(worse.m) }, strictlyWorse: worse, ranked: n }];
  }));
}

export function rfmScores(rows: RfmInput[]): Map<string, RfmScore> {
  return new Map([...rfmRanks(rows)].map(([id, rank]) => [id, rank.score]));
}

/** CLV = paid to date + trailing-12-month paid × retention probability (lower with an open churn risk). */
export function customerLifetimeValue(paidToDate: number, trailingPaid: number, churnRiskOpen: boolean, policy: ClassificationPolicy): number {
  const retention = churnRiskOpen ? policy.retention.atRisk : policy.retention.base;
  return Math.round(paidToDate + trailingPaid * retention);
}

export interface AbcSegment { abcClass: AbcClass | 'unclassified'; customers: number; revenue: number; revenueShare: number }

/** Count and revenue share per class (shares of the total, 4 decimals; 0 when there is no revenue). */
export function abcSegments(entries: Array<{ abcClass: AbcClass | null; revenue: number }>): AbcSegment[] {
  const total = entries.reduce((s, e) => s + Math.max(0, e.revenue), 0);
  const classes: Array<AbcClass | 'unclassified'> = ['A', 'B', 'C', 'unclassified'];
  return classes.map((abcClass) => {
    const members = entries.filter((e) => (e.abcClass ?? 'unclassified') === abcClass);
    const revenue = members.reduce((s, e) => s + Math.max(0, e.revenue), 0);
    return { abcClass, customers: members.length, revenue, revenueShare: total === 0 ? 0 : Math.round((revenue / total) * 10_000) / 10_000 };
  });
}
