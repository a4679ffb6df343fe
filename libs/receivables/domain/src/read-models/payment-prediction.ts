import { addDays, daysBetween } from '@crm/contracts';
import { ReceivableInvoiceDoc } from './receivable-invoice.read-model';

/** How many of a customer's latest paid invoices the prediction reads, and how fast older ones weigh less. */
export const PREDICTION_RULE = { version: 1, lastPaid: 10, recencyWeight: 0.8 } as const;

/** One paid invoice of the customer: when it was due (its last installment) and when it was settled in full. */
export interface PaidInvoice {
  invoiceId: string;
  dueDate: string;
  paidOn: string;
  daysLate: number;
  /** Net days from issue to the last due date: longer terms are compared with longer terms. */
  termsDays: number;
  /** Whether a dispute was opened on it before it was paid. */
  disputed: boolean;
}

/** A paid invoice as history, or null when it is not one (still open, or closed by a write-off). */
export function paidInvoiceOf(doc: ReceivableInvoiceDoc): PaidInvoice | null {
  if (doc.outstanding !== 0 || doc.closedOn === null || doc.installments.length === 0) return null;
  if (doc.changes.some((c) => c.writtenOff > 0)) return null;
  const dueDate = doc.installments[doc.installments.length - 1].dueDate;
  return { invoiceId: doc.invoiceId, dueDate, paidOn: doc.closedOn, daysLate: daysBetween(dueDate, doc.closedOn),
    termsDays: daysBetween(doc.issueDate, dueDate), disputed: doc.disputes.length > 0 };
}

export interface PredictionBasis {
  rule: typeof PREDICTION_RULE.version;
  paidInvoices: number;
  /** Weighted median of days late, and the weighted spread around it (median absolute deviation). */
  medianDaysLate: number | null;
  spreadDays: number | null;
  /** Days added because the invoice is disputed (the customer's own delay on disputed invoices, else the spread). */
  disputeDays: number;
  /** Set when no date is predicted. */
  reason: 'no-payment-history' | null;
  /** The paid invoices read, latest first, with the weight each had. */
  inputs: Array<{ invoiceId: string; daysLate: number; weight: number }>;
}

function weightedMedian(values: Array<{ value: number; weight: number }>): number {
  const sorted = [...values].sort((a, b) => a.value - b.value);
  const half = sorted.reduce((n, v) => n + v.weight, 0) / 2;
  let seen = 0;
  for (const v of sorted) {
    seen += v.weight;
    if (seen >= half) return v.value;
  }
  return sorted[sorted.length - 1].value;
}

/**
 * Predicted payment date of an open invoice from the customer's own history (pure): its due
 * date plus the weighted median of days late on the last paid invoices (latest weighs most),
 * scaled to the invoice's own terms when those histories ran on other terms; a disputed
 * invoice waits longer (the customer's delay on its disputed invoices, else one spread more);
 * never before the day after `asOf` for an invoice already later than that.
 */
export function predictPaymentDate(
  invoice: { dueDate: string; issueDate: string; disputed: boolean },
  history: PaidInvoice[],
  asOf: string,
): { predictedPaymentDate: string | null; predictionBasis: PredictionBasis } {
  const latest = [...history].sort((a, b) => (a.paidOn < b.paidOn ? 1 : a.paidOn > b.paidOn ? -1 : a.invoiceId.localeCompare(b.invoiceId)))
    .slice(0, PREDICTION_RULE.lastPaid);
  const base: PredictionBasis = { rule: PREDICTION_RULE.version, paidInvoices: latest.length, medianDaysLate: null, spreadDays: null,
    disputeDays: 0, reason: null, inputs: [] };
  if (latest.length === 0) return { predictedPaymentDate: null, predictionBasis: { ...base, reason: 'no-payment-history' } };
  const terms = Math.max(1, daysBetween(invoice.issueDate, invoice.dueDate));
  const inputs = latest.map((p, i) => ({ invoiceId: p.invoiceId,
    // Lateness grows with terms for many payers: compare like with like.
    daysLate: p.termsDays > 0 ? Math.round((p.daysLate * terms) / p.termsDays) : p.daysLate,
    weight: Math.round(PREDICTION_RULE.recencyWeight ** i * 1000) / 1000 }));
  const median = weightedMedian(inputs.map((x) => ({ value: x.daysLate, weight: x.weight })));
  const spread = weightedMedian(inputs.map((x) => ({ value: Math.abs(x.daysLate - median), weight: x.weight })));
  const disputedPaid = latest.filter((p) => p.disputed);
  const disputeDays = !invoice.disputed ? 0
    : disputedPaid.length > 0 ? Math.max(0, weightedMedian(disputedPaid.map((p) => ({ value: p.daysLate, weight: 1 }))) - median)
      : Math.max(1, spread);
  const expected = addDays(invoice.dueDate, median + disputeDays);
  const predicted = expected > asOf ? expected : addDays(asOf, 1);
  return { predictedPaymentDate: predicted, predictionBasis: { ...base, medianDaysLate: median, spreadDays: spread, disputeDays, inputs } };
}
