import { earlierDate, EventEnvelope, isEventOf, laterDate } from '@crm/contracts';
import { addMonthsToMonth, monthOf } from './churn-dates';

/** Invoices of one month: how many, and how much per currency (minor units). */
export interface PurchaseBucket { count: number; spend: Record<string, number> }

export interface SurveyFact { responseId: string; score: number; respondedAt: string; on: string }

/**
 * What churn knows of one customer's signals, kept by the churn-signals policy from the source
 * events. Bounded: purchases in monthly buckets for 24 months, the latest survey per kind, the
 * complaints open past SLA, one date for the last interaction.
 */
export interface ChurnFacts {
  customerId: string;
  /** The earliest business date of any fact: "no interaction" counts from it when none was recorded. */
  knownSince: string | null;
  /** The latest business date of any fact: buckets older than 24 months before it are dropped. */
  latestOn: string | null;
  purchases: Record<string, PurchaseBucket>;
  surveys: { csat: SurveyFact | null; nps: SurveyFact | null };
  /** Open complaints with a breached SLA clock: id → first breach. */
  complaintsPastSla: Record<string, { clock: string; deadline: string; on: string }>;
  lastInteractionOn: string | null;
  abcClass: string | null;
  /** Source events applied. */
  version: number;
}

export const PURCHASE_MONTHS_KEPT = 24;

export const CHURN_SOURCE_EVENTS = [
  'InvoiceIssued', 'SurveyResponseRecorded', 'ComplaintSlaBreached', 'ComplaintResolved', 'InteractionRecorded', 'CustomerAbcClassChanged',
] as const;

export function isChurnSourceEvent(event: EventEnvelope): event is EventEnvelope & { data: { customerId: string } } {
  return isEventOf(event, ...CHURN_SOURCE_EVENTS);
}

export function initialChurnFacts(customerId: string): ChurnFacts {
  return {
    customerId, knownSince: null, latestOn: null, purchases: {}, surveys: { csat: null, nps: null },
    complaintsPastSla: {}, lastInteractionOn: null, abcClass: null, version: 0,
  };
}

/**
 * Applies one source event, in place. `on` is the event's business date (the caller turns
 * instants into dates in the business time zone). Returns whether anything a signal reads changed.
 */
export function applyChurnSourceEvent(facts: ChurnFacts, event: EventEnvelope, on: string): boolean {
  facts.version += 1;
  facts.knownSince = earlierDate(facts.knownSince, on);
  facts.latestOn = laterDate(facts.latestOn, on);
  const changed = applyFact(facts, event, on);
  prunePurchases(facts);
  return changed;
}

function applyFact(facts: ChurnFacts, event: EventEnvelope, on: string): boolean {
  if (isEventOf(event, 'InvoiceIssued')) {
    const month = monthOf(event.data.issueDate);
    const bucket = facts.purchases[month] ?? (facts.purchases[month] = { count: 0, spend: {} });
    bucket.count += 1;
    bucket.spend[event.data.currency] = (bucket.spend[event.data.currency] ?? 0) + event.data.total;
    return true;
  }
  if (isEventOf(event, 'SurveyResponseRecorded')) {
    const latest = facts.surveys[event.data.kind];
    // The latest answer of each kind counts, whatever order the answers arrive in.
    if (latest && latest.respondedAt > event.data.respondedAt) return false;
    facts.surveys[event.data.kind] = { responseId: event.data.responseId, score: event.data.score, respondedAt: event.data.respondedAt, on };
    return true;
  }
  if (isEventOf(event, 'ComplaintSlaBreached')) {
    if (facts.complaintsPastSla[event.data.complaintId]) return false;
    facts.complaintsPastSla[event.data.complaintId] = { clock: event.data.clock, deadline: event.data.deadline, on };
    return true;
  }
  if (isEventOf(event, 'ComplaintResolved')) {
    if (!facts.complaintsPastSla[event.data.complaintId]) return false;
    delete facts.complaintsPastSla[event.data.complaintId];
    return true;
  }
  if (isEventOf(event, 'InteractionRecorded')) {
    const before = facts.lastInteractionOn;
    facts.lastInteractionOn = laterDate(before, on);
    return facts.lastInteractionOn !== before;
  }
  if (isEventOf(event, 'CustomerAbcClassChanged')) {
    const before = facts.abcClass;
    facts.abcClass = event.data.abcClass;
    return before !== facts.abcClass;
  }
  return false;
}

function prunePurchases(facts: ChurnFacts): void {
  if (!facts.latestOn) return;
  const oldestKept = addMonthsToMonth(monthOf(facts.latestOn), -(PURCHASE_MONTHS_KEPT - 1));
  for (const month of Object.keys(facts.purchases)) if (month < oldestKept) delete facts.purchases[month];
}
