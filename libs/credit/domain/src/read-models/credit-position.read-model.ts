import { CreditFactorV1, CreditGrade, EventEnvelope, exposureChange, HoldCauseCode, isEventOf, MoneyV1 } from '@crm/contracts';
import { isReceivablesAccountEvent } from '../facts/receivables-facts';

/** What credit itself decided about a customer, as the position shows it. */
export interface CreditSide {
  score: number | null;
  grade: CreditGrade | null;
  factors: CreditFactorV1[];
  assessedOn: string | null;
  limit: MoneyV1 | null;
  paymentTermsDays: number | null;
  onHold: boolean;
  holdCauses: HoldCauseCode[];
  nextReviewOn: string | null;
  reviewDue: boolean;
  /** The customer's credit stream version (0: nothing recorded yet). */
  version: number;
}

/**
 * One customer's credit position: credit's side after each of its events (`history`, for
 * `?asOf=`), and exposure per currency from receivables' events. Exposure is a sum of
 * per-event changes, so it does not depend on how the two topics interleave.
 */
export interface CreditPositionDoc {
  customerId: string;
  credit: CreditSide;
  /** Open invoices minus payments, credit notes, write-offs and unapplied credit, per currency (may dip below zero: shown as zero). */
  exposure: Record<string, number>;
  /** Exposure ÷ limit in the limit's currency (null without a limit). */
  utilization: number | null;
  /** `at` is the event's time, never earlier than the entry before it: credit's events in stream order. */
  history: Array<{ at: string; credit: CreditSide }>;
}

const CREDIT_ACCOUNT_EVENTS = [
  'CreditFinancialsRecorded', 'CreditAssessed', 'CreditLimitRequested', 'CreditLimitApprovalRecorded', 'CreditLimitApproved',
  'CreditLimitRejected', 'CreditHoldPlaced', 'CreditHoldReleased', 'CreditHoldCausesChanged', 'CreditHoldOverrideLapsed', 'CreditReviewBecameDue',
] as const;

export const isCreditAccountEvent = (e: EventEnvelope) => isEventOf(e, ...CREDIT_ACCOUNT_EVENTS);

const emptyCreditSide = (): CreditSide => ({
  score: null, grade: null, factors: [], assessedOn: null, limit: null, paymentTermsDays: null, onHold: false, holdCauses: [],
  nextReviewOn: null, reviewDue: false, version: 0,
});

export function creditPositionKey(e: EventEnvelope): string | undefined {
  if (isEventOf(e, 'CustomerRegistered') || isCreditAccountEvent(e)) return e.subject;
  if (isReceivablesAccountEvent(e) && exposureChange(e).length > 0) return e.subject;
  return undefined;
}

/** Credit's side after one of its events (a new object: history keeps the old one). */
function nextCreditSide(side: CreditSide, e: EventEnvelope): CreditSide {
  const next: CreditSide = { ...side, version: e.streamVersion };
  if (isEventOf(e, 'CreditAssessed')) {
    Object.assign(next, { score: e.data.score, grade: e.data.grade, factors: e.data.factors, assessedOn: e.data.assessedOn });
  } else if (isEventOf(e, 'CreditLimitApproved')) {
    Object.assign(next, { limit: { amount: e.data.limit, currency: e.data.currency }, paymentTermsDays: e.data.paymentTermsDays,
      nextReviewOn: e.data.reviewDueOn, reviewDue: false });
  } else if (isEventOf(e, 'CreditHoldPlaced', 'CreditHoldCausesChanged')) {
    Object.assign(next, { onHold: true, holdCauses: e.data.causes.map((c) => c.code) });
  } else if (isEventOf(e, 'CreditHoldReleased')) {
    Object.assign(next, { onHold: false, holdCauses: [] });
  } else if (isEventOf(e, 'CreditReviewBecameDue')) {
    next.reviewDue = true;
  }
  return next;
}

function utilizationOf(doc: CreditPositionDoc): number | null {
  const limit = doc.credit.limit;
  if (!limit) return null;
  const exposure = Math.max(0, doc.exposure[limit.currency] ?? 0);
  if (limit.amount === 0) return exposure > 0 ? 999 : 0;
  return Math.min(999, Math.round((exposure / limit.amount) * 10_000) / 10_000);
}

export function evolveCreditPosition(doc: CreditPositionDoc | undefined, e: EventEnvelope, key: string): CreditPositionDoc {
  const current: CreditPositionDoc = doc ?? { customerId: key, credit: emptyCreditSide(), exposure: {}, utilization: null, history: [] };
  if (isCreditAccountEvent(e)) {
    if (e.streamVersion <= current.credit.version) return current;
    const credit = nextCreditSide(current.credit, e);
    const previous = current.history[current.history.length - 1]?.at;
    const recorded = recordedAt(e);
    const at = previous && previous > recorded ? previous : recorded;
    current.credit = credit;
    current.history.push({ at, credit });
  } else if (isReceivablesAccountEvent(e)) {
    for (const { currency, amount } of exposureChange(e)) current.exposure = { ...current.exposure, [currency]: (current.exposure[currency] ?? 0) + amount };
  }
  return { ...current, utilization: utilizationOf(current) };
}

/** Credit's side as recorded at an instant (before anything was recorded: the empty position). */
export function creditSideAsOf(doc: CreditPositionDoc, asOf: string): CreditSide {
  let side = emptyCreditSide();
  for (const entry of doc.history) {
    if (entry.at > asOf) break;
    side = entry.credit;
  }
  return side;
}

/** The position as the API answers it: exposure and available credit in the limit's currency, both floored at 0 (over the limit: nothing available). */
export function creditPositionView(customerId: string, credit: CreditSide, exposureByCurrency: Record<string, number>) {
  const shown = Object.fromEntries(Object.entries(exposureByCurrency).filter(([, v]) => v !== 0).map(([c, v]) => [c, Math.max(0, v)]));
  const currencies = Object.keys(shown).sort();
  const currency = credit.limit?.currency ?? (currencies.length === 1 ? currencies[0] : null);
  const exposure = currency ? (shown[currency] ?? 0) : 0;
  return {
    customerId, score: credit.score, grade: credit.grade, factors: credit.factors, assessedOn: credit.assessedOn,
    limit: credit.limit, paymentTermsDays: credit.paymentTermsDays, currency, exposure, exposureByCurrency: shown,
    available: credit.limit ? Math.max(0, credit.limit.amount - exposure) : null, onHold: credit.onHold, holdCauses: credit.holdCauses,
    nextReviewOn: credit.nextReviewOn, reviewDue: credit.reviewDue, version: credit.version,
  };
}

/** When the producing store recorded the event: what "as recorded at an instant" compares with. */
function recordedAt(e: EventEnvelope): string {
  return e.recordedAt ?? e.time;
}

/** One receivables event's change to exposure, dated by when it was recorded: summed up to an instant for `?asOf=`. */
export interface ExposureChangeDoc { customerId: string; at: string; changes: MoneyV1[] }

export function exposureChangeKey(e: EventEnvelope): string | undefined {
  return isReceivablesAccountEvent(e) && exposureChange(e).length > 0 ? e.id : undefined;
}

export function evolveExposureChange(_doc: ExposureChangeDoc | undefined, e: EventEnvelope): ExposureChangeDoc {
  return { customerId: e.subject, at: recordedAt(e), changes: exposureChange(e) };
}
