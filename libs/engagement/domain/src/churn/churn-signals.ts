import { addDays, ChurnSignalCode, ChurnSignalV1, daysBetween } from '@crm/contracts';
import { addMonthsToMonth, firstDayOf, monthOf } from './churn-dates';
import { ChurnFacts, PURCHASE_MONTHS_KEPT } from './churn-facts';

/** The contact plan's cadence per ABC class (DOMAIN.md); no class counts as C. */
export const CONTACT_CADENCE_DAYS: Record<string, number> = { A: 30, B: 90, C: 180 };
export const cadenceDaysOf = (abcClass: string | null) => CONTACT_CADENCE_DAYS[abcClass ?? 'C'] ?? CONTACT_CADENCE_DAYS.C;

/** A signal that shows on a date, before the policy gives it points. */
interface Showing { code: ChurnSignalCode; detail: string }

const sumMonths = (facts: ChurnFacts, from: string, to: string, of: (b: ChurnFacts['purchases'][string]) => number) =>
  Object.entries(facts.purchases).filter(([m]) => m >= from && m <= to).reduce((n, [, b]) => n + of(b), 0);

/**
 * "Usual rate": invoices per 3 months over the 12 months before the last 3 (months M-14..M-3,
 * divided by 4), against the invoices of the last 3 months (M-2..M, the current month included).
 * It shows when the recent count is below half the usual and the customer had a usual rate at all.
 */
function purchaseFrequencyDrop(facts: ChurnFacts, on: string): Showing | null {
  const month = monthOf(on);
  const [recentFrom, priorFrom, priorTo] = [addMonthsToMonth(month, -2), addMonthsToMonth(month, -14), addMonthsToMonth(month, -3)];
  const recent = sumMonths(facts, recentFrom, month, (b) => b.count);
  const prior = sumMonths(facts, priorFrom, priorTo, (b) => b.count);
  const usual = prior / 4;
  if (prior === 0 || recent >= usual / 2) return null;
  return {
    code: 'purchase-frequency-drop',
    detail: `${recent} invoices in ${recentFrom}..${month} against a usual ${usual.toFixed(2)} per 3 months (${prior} in ${priorFrom}..${priorTo}); below half`,
  };
}

/** Spend of the last 12 months (M-11..M) against the 12 before, in the currency of the larger earlier spend. */
function spendDrop(facts: ChurnFacts, on: string): Showing | null {
  const month = monthOf(on);
  const [lastFrom, priorFrom, priorTo] = [addMonthsToMonth(month, -11), addMonthsToMonth(month, -23), addMonthsToMonth(month, -12)];
  const currencies = [...new Set(Object.values(facts.purchases).flatMap((b) => Object.keys(b.spend)))].sort();
  const byCurrency = currencies.map((currency) => ({
    currency,
    last: sumMonths(facts, lastFrom, month, (b) => b.spend[currency] ?? 0),
    prior: sumMonths(facts, priorFrom, priorTo, (b) => b.spend[currency] ?? 0),
  }));
  const main = byCurrency.reduce<(typeof byCurrency)[number] | null>((best, c) => (!best || c.prior > best.prior ? c : best), null);
  if (!main || main.prior === 0 || main.last * 2 >= main.prior) return null;
  const down = Math.round((1 - main.last / main.prior) * 100);
  return {
    code: 'spend-drop',
    detail: `12-month spend ${main.last} ${main.currency} minor units (${lastFrom}..${month}) against ${main.prior} (${priorFrom}..${priorTo}): down ${down} %, more than 50 %`,
  };
}

/** The latest CSAT of 2 or less, or the latest NPS answer of a detractor (0–6). */
function lowSatisfaction(facts: ChurnFacts): Showing | null {
  const { csat, nps } = facts.surveys;
  const low = [
    csat && csat.score <= 2 ? `latest CSAT ${csat.score} of 5 (${csat.on})` : null,
    nps && nps.score <= 6 ? `latest NPS ${nps.score} of 10, a detractor (${nps.on})` : null,
  ].filter((s): s is string => s !== null);
  return low.length ? { code: 'low-satisfaction', detail: low.join('; ') } : null;
}

function complaintPastSla(facts: ChurnFacts): Showing | null {
  const open = Object.entries(facts.complaintsPastSla).sort(([a], [b]) => a.localeCompare(b));
  if (open.length === 0) return null;
  const list = open.map(([id, b]) => `${id} (${b.clock} deadline ${b.deadline})`).join(', ');
  return { code: 'complaint-past-sla', detail: `${open.length} unresolved complaint(s) past SLA: ${list}` };
}

/** No interaction for 2 × the contact plan's cadence; with none recorded, counted from the first fact churn has. */
function noRecentInteraction(facts: ChurnFacts, on: string): Showing | null {
  const since = facts.lastInteractionOn ?? facts.knownSince;
  if (!since) return null;
  const cadence = cadenceDaysOf(facts.abcClass);
  const days = daysBetween(since, on);
  if (days < 2 * cadence) return null;
  const what = facts.lastInteractionOn ? `last interaction on ${since}` : `no interaction recorded since ${since}, the first fact known`;
  return {
    code: 'no-recent-interaction',
    detail: `${what}: ${days} days, at least 2 × the ${cadence}-day cadence of class ${facts.abcClass ?? 'C (none)'}`,
  };
}

/** The signals that show on `on`, with their points under `weights`, in the contract's order. */
export function churnSignals(facts: ChurnFacts, on: string, weights: Record<ChurnSignalCode, number>): ChurnSignalV1[] {
  return [purchaseFrequencyDrop(facts, on), spendDrop(facts, on), lowSatisfaction(facts), complaintPastSla(facts), noRecentInteraction(facts, on)]
    .filter((s): s is Showing => s !== null)
    .map((s) => ({ code: s.code, points: weights[s.code], detail: s.detail }));
}

const timeSignals = (facts: ChurnFacts, on: string) =>
  [purchaseFrequencyDrop(facts, on) !== null, spendDrop(facts, on) !== null, noRecentInteraction(facts, on) !== null].join();

/**
 * The first date after `from` on which a time-based signal (frequency, spend, no interaction)
 * shows or stops showing with no new event, or null: what the day close is scheduled by.
 * Purchase windows move by months, so only the first days of months can change them.
 */
export function nextChurnCheckAfter(facts: ChurnFacts, from: string): string | null {
  const now = timeSignals(facts, from);
  const candidates: string[] = [];
  const since = facts.lastInteractionOn ?? facts.knownSince;
  if (since) {
    const flips = addDays(since, 2 * cadenceDaysOf(facts.abcClass));
    if (flips > from) candidates.push(flips);
  }
  const month = monthOf(from);
  for (let k = 1; k <= PURCHASE_MONTHS_KEPT + 1; k++) {
    const day = firstDayOf(addMonthsToMonth(month, k));
    if (candidates.some((c) => c <= day)) break;
    if (timeSignals(facts, day) !== now) {
      candidates.push(day);
      break;
    }
  }
  return candidates.sort()[0] ?? null;
}
