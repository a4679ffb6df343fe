import { daysBetween, EventEnvelope, InstallmentV1, isEventOf, laterDate, MoneyV1, PaymentHistoryV1 } from '@crm/contracts';

/** One invoice as credit's copy of receivables' facts sees it. */
export interface FactInvoice {
  invoiceId: string;
  currency: string;
  total: number;
  /** Paid, discounted or credited. */
  settled: number;
  writtenOff: number;
  installments: InstallmentV1[];
  issuedEventId: string;
  dunningLevel: number;
  dunningEventId: string | null;
  overdueEventId: string | null;
  /** The business date it was settled in full (by payments and credit notes, not a write-off). */
  settledOn: string | null;
  /** The business date of its (latest) write-off: the lateness it had then stays in the payment history. */
  writtenOffOn?: string | null;
}

/**
 * Credit's own copy of one customer's receivables: enough for exposure, payment history and
 * the hold rules, kept from receivables' published events in their (per-customer) order.
 */
export interface ReceivablesFacts {
  customerId: string;
  /** Version of the customer's receivables account stream applied last (0: none yet). */
  version: number;
  /** Latest business date the customer's receivables events have shown. */
  businessDate: string | null;
  invoices: Record<string, FactInvoice>;
  /** The customer's credit balance per currency: unapplied money and credit notes above an invoice's outstanding. */
  unapplied: Record<string, number>;
}

export const initialFacts = (customerId: string): ReceivablesFacts => ({ customerId, version: 0, businessDate: null, invoices: {}, unapplied: {} });

const ACCOUNT_EVENTS = [
  'InvoiceIssued', 'PaymentReceived', 'PaymentReversed', 'CreditNoteIssued', 'InvoiceDisputed', 'InvoiceDisputeResolved',
  'PromiseToPayRecorded', 'PromiseToPayKept', 'PromiseToPayPartiallyKept', 'PromiseToPayBroken', 'WriteOffRequested',
  'WriteOffApproved', 'WriteOffRejected', 'InvoiceBecameOverdue', 'DunningLevelRaised',
  'PaymentAllocated', 'CreditBalanceApplied', 'CreditBalanceRefunded', 'ReceivablesPolicyChanged',
] as const;

/** An event of one customer's receivables account (not the business calendar's). */
export function isReceivablesAccountEvent(event: EventEnvelope): boolean {
  return isEventOf(event, ...ACCOUNT_EVENTS);
}

export const outstandingOf = (i: FactInvoice) => i.total - i.settled - i.writtenOff;
const isOpen = (i: FactInvoice) => i.writtenOff === 0 && outstandingOf(i) > 0;
const lastDueDate = (i: FactInvoice) => i.installments[i.installments.length - 1]?.dueDate ?? null;

/** Due date of the earliest installment not yet covered by what was settled. */
export function earliestUnpaidDueDate(invoice: FactInvoice): string | null {
  let covered = invoice.settled;
  for (const installment of invoice.installments) {
    if (covered < installment.amount) return installment.dueDate;
    covered -= installment.amount;
  }
  return null;
}

function settle(invoice: FactInvoice | undefined, amount: number, on: string): void {
  if (!invoice) return;
  invoice.settled += amount;
  invoice.settledOn = outstandingOf(invoice) === 0 && invoice.writtenOff === 0 ? (invoice.settledOn ?? on) : null;
}

/** The business date an event is dated by (its day, not a promised or due date). */
function dateOf(event: EventEnvelope): string | null {
  const d = event.data as Record<string, unknown>;
  for (const field of ['businessDate', 'issueDate', 'receivedOn', 'reversedOn', 'issuedOn', 'approvedOn', 'openedOn', 'resolvedOn',
    'recordedOn', 'requestedOn', 'rejectedOn', 'allocatedOn', 'appliedOn', 'refundedOn']) {
    if (typeof d[field] === 'string') return d[field] as string;
  }
  return null;
}

function credit(facts: ReceivablesFacts, currency: string, change: number): void {
  if (change !== 0) facts.unapplied[currency] = (facts.unapplied[currency] ?? 0) + change;
}

/**
 * Applies one receivables account event (in the account stream's order; an event at or below
 * the applied version is ignored, so a re-read of history changes nothing). Changes `facts`
 * in place and returns it.
 */
export function applyReceivablesEvent(facts: ReceivablesFacts, event: EventEnvelope): ReceivablesFacts {
  if (!isReceivablesAccountEvent(event) || event.streamVersion <= facts.version) return facts;
  facts.version = event.streamVersion;
  facts.businessDate = laterDate(facts.businessDate, dateOf(event));
  if (isEventOf(event, 'InvoiceIssued')) {
    const d = event.data;
    facts.invoices[d.invoiceId] = {
      invoiceId: d.invoiceId, currency: d.currency, total: d.total, settled: 0, writtenOff: 0, installments: d.installments,
      issuedEventId: event.id, dunningLevel: 0, dunningEventId: null, overdueEventId: null, settledOn: null,
    };
  } else if (isEventOf(event, 'PaymentReceived', 'PaymentReversed')) {
    const sign = event.type === 'PaymentReceived' ? 1 : -1;
    const on = isEventOf(event, 'PaymentReceived') ? event.data.receivedOn : (event.data as { reversedOn: string }).reversedOn;
    for (const a of event.data.allocations) {
      if (a.kind === 'payment') settle(facts.invoices[a.invoiceId], sign * (a.amount + a.discount), on);
    }
    facts.unapplied[event.data.currency] = (facts.unapplied[event.data.currency] ?? 0) + sign * event.data.unapplied;
  } else if (isEventOf(event, 'PaymentAllocated')) {
    // Unapplied money moving onto invoices: the invoices are settled, the credit balance shrinks.
    for (const a of event.data.allocations) {
      if (a.kind === 'payment') settle(facts.invoices[a.invoiceId], a.amount + a.discount, event.data.allocatedOn);
    }
    credit(facts, event.data.currency, -event.data.allocations.reduce((n, a) => n + a.amount, 0));
  } else if (isEventOf(event, 'CreditBalanceApplied')) {
    for (const a of event.data.applications) settle(facts.invoices[a.invoiceId], a.amount, event.data.appliedOn);
    credit(facts, event.data.currency, -event.data.applications.reduce((n, a) => n + a.amount, 0));
  } else if (isEventOf(event, 'CreditBalanceRefunded')) {
    credit(facts, event.data.currency, -event.data.amount);
  } else if (isEventOf(event, 'CreditNoteIssued')) {
    const toCreditBalance = event.data.toCreditBalance ?? 0;
    settle(facts.invoices[event.data.invoiceId], event.data.amount - toCreditBalance, event.data.issuedOn);
    credit(facts, event.data.currency, toCreditBalance);
  } else if (isEventOf(event, 'WriteOffApproved')) {
    const invoice = facts.invoices[event.data.invoiceId];
    if (invoice) {
      invoice.writtenOff += event.data.amount;
      invoice.settledOn = null;
      invoice.writtenOffOn = dateOf(event) ?? facts.businessDate;
    }
  } else if (isEventOf(event, 'InvoiceBecameOverdue')) {
    const invoice = facts.invoices[event.data.invoiceId];
    if (invoice) invoice.overdueEventId = event.id;
  } else if (isEventOf(event, 'DunningLevelRaised')) {
    const invoice = facts.invoices[event.data.invoiceId];
    if (invoice) {
      invoice.dunningLevel = event.data.level;
      invoice.dunningEventId = event.id;
    }
  }
  return facts;
}

/** What the hold rules look at, as of the facts' version; `triggeredBy` names the events that led here. */
export interface HoldFacts {
  customerId: string;
  version: number;
  businessDate: string | null;
  exposure: MoneyV1[];
  oldestUnpaid: { invoiceId: string; dueDate: string; eventIds: string[] } | null;
  worstDunning: { invoiceId: string; level: number; eventId: string } | null;
  triggeredBy: string[];
  /** The events behind the exposure: the issue of each invoice still open (what a hold for exposure over the limit cites). */
  exposureEventIds?: string[];
}

/** Exposure per currency: open invoices minus unapplied credit, never below zero; by currency code. */
export function exposureOf(facts: ReceivablesFacts): MoneyV1[] {
  const owed: Record<string, number> = {};
  for (const invoice of Object.values(facts.invoices)) owed[invoice.currency] = (owed[invoice.currency] ?? 0) + outstandingOf(invoice);
  for (const [currency, credit] of Object.entries(facts.unapplied)) owed[currency] = (owed[currency] ?? 0) - credit;
  return Object.keys(owed).sort().map((currency) => ({ currency, amount: Math.max(0, owed[currency]) }));
}

export function holdFactsOf(facts: ReceivablesFacts, triggeredBy: string[]): HoldFacts {
  const open = Object.values(facts.invoices).filter(isOpen).sort((a, b) => a.invoiceId.localeCompare(b.invoiceId));
  let oldestUnpaid: HoldFacts['oldestUnpaid'] = null;
  let worstDunning: HoldFacts['worstDunning'] = null;
  for (const invoice of open) {
    const dueDate = earliestUnpaidDueDate(invoice);
    if (dueDate && (!oldestUnpaid || dueDate < oldestUnpaid.dueDate)) {
      oldestUnpaid = { invoiceId: invoice.invoiceId, dueDate, eventIds: [invoice.issuedEventId, ...(invoice.overdueEventId ? [invoice.overdueEventId] : [])] };
    }
    if (invoice.dunningLevel > 0 && invoice.dunningEventId && (!worstDunning || invoice.dunningLevel > worstDunning.level)) {
      worstDunning = { invoiceId: invoice.invoiceId, level: invoice.dunningLevel, eventId: invoice.dunningEventId };
    }
  }
  return { customerId: facts.customerId, version: facts.version, businessDate: facts.businessDate, exposure: exposureOf(facts), oldestUnpaid, worstDunning, triggeredBy,
    exposureEventIds: open.map((i) => i.issuedEventId) };
}

/** Hold facts without the trigger: equal when an event changed nothing the hold rules read. */
export function sameHoldFacts(a: HoldFacts, b: HoldFacts): boolean {
  const strip = ({ version: _v, triggeredBy: _t, ...rest }: HoldFacts) => JSON.stringify(rest);
  return strip(a) === strip(b);
}

/**
 * Payment history for an assessment: on-time ratio, days beyond terms, worst days overdue, write-offs.
 * Days overdue are counted to the latest business date credit knows: the facts' own, or a later
 * one credit has reached (its last closed day, the date its last hold decision counted to), so
 * an assessment and the hold rule see the same lateness. A written-off invoice keeps the days it
 * was overdue when it was written off.
 */
export function paymentHistoryOf(facts: ReceivablesFacts, knownDate: string | null = null): PaymentHistoryV1 {
  const asOfDate = laterDate(facts.businessDate, knownDate);
  const invoices = Object.values(facts.invoices);
  const settled = invoices.filter((i) => i.settledOn !== null && i.writtenOff === 0);
  const beyond = settled.map((i) => Math.max(0, daysBetween(lastDueDate(i) ?? i.settledOn!, i.settledOn!)));
  const onTime = beyond.filter((d) => d === 0).length;
  const overdueTo = (i: FactInvoice, date: string | null) => {
    const due = earliestUnpaidDueDate(i);
    return due && date ? Math.max(0, daysBetween(due, date)) : 0;
  };
  const openOverdue = invoices.filter(isOpen).map((i) => overdueTo(i, asOfDate));
  const writtenOffOverdue = invoices.filter((i) => i.writtenOff > 0).map((i) => overdueTo(i, i.writtenOffOn ?? asOfDate));
  return {
    factsVersion: facts.version,
    asOfDate,
    invoices: invoices.length,
    settledInvoices: settled.length,
    onTimeInvoices: onTime,
    onTimeRatio: settled.length ? Math.round((onTime / settled.length) * 10_000) / 10_000 : null,
    averageDaysBeyondTerms: settled.length ? Math.round((beyond.reduce((n, d) => n + d, 0) / settled.length) * 100) / 100 : null,
    worstDaysOverdue: invoices.length ? Math.max(0, ...beyond, ...openOverdue, ...writtenOffOverdue) : null,
    writeOffs: invoices.filter((i) => i.writtenOff > 0).length,
  };
}

