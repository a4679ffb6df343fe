import { AllocationV1, EarlyPaymentDiscountV1, InstallmentV1, InvoiceLineV1, PaymentTermsV1 } from '@crm/contracts';
import { AccountEvent } from './account.events';

export interface InvoiceState {
  invoiceId: string;
  number: string;
  currency: string;
  issueDate: string;
  lines: InvoiceLineV1[];
  total: number;
  terms: PaymentTermsV1;
  installments: InstallmentV1[];
  earlyPaymentDiscount: EarlyPaymentDiscountV1 | null;
  paid: number;
  discounted: number;
  credited: number;
  writtenOff: number;
  recovered: number;
  /** The installment due date last reported overdue, and the business date it was. */
  overdue: { dueDate: string; since: string } | null;
  dunningLevel: number;
  /**
   * The ladder's steps so far (level, action, the business date each became due) and the
   * date it last resumed after a pause (a dispute resolved, a promise's outcome): a level is
   * due no earlier than its threshold, that date, and the day after the level before it.
   */
  dunningSteps: Array<{ level: number; action: string; on: string }>;
  dunningResumedOn: string | null;
  dispute: { reason: string; openedOn: string } | null;
  promise: { promisedDate: string; amount: number; settledAtPromise: number } | null;
  writeOffRequest: { requestId: string; requestedBy: string; reason: string } | null;
  payments: Array<{ paymentId: string; receivedOn: string; amount: number; discount: number; kind: AllocationV1['kind']; reversed: boolean }>;
}

export interface AccountState {
  customerId: string | null;
  invoices: Record<string, InvoiceState>;
  payments: Record<string, { currency: string; receivedOn: string; allocations: AllocationV1[]; unapplied: number; reversed: boolean }>;
  writeOffRequests: Record<string, string>;
  unapplied: Record<string, number>;
  /**
   * Invoices a decision can still concern: something outstanding, or a promise pending. Kept
   * by the fold so deciders and the day-close schedule look at these, not at every invoice
   * the customer ever had (a settled one only matters when named, e.g. by a reversal).
   */
  active: Record<string, true>;
}

export const initialAccount = (): AccountState =>
  ({ customerId: null, invoices: {}, payments: {}, writeOffRequests: {}, unapplied: {}, active: {} });

/** The invoices of `active` (in the order they last became active). */
export function activeInvoices(state: AccountState): InvoiceState[] {
  return Object.keys(state.active).map((id) => state.invoices[id]);
}

/** What the customer still owes on the invoice (recoveries after a write-off do not change it). */
export function outstanding(invoice: InvoiceState): number {
  return invoice.total - invoice.paid - invoice.discounted - invoice.credited - invoice.writtenOff;
}

/** Paid, discounted or credited so far: what counts towards a promise or an installment. */
export function settled(invoice: InvoiceState): number {
  return invoice.paid + invoice.discounted + invoice.credited;
}

/** Due date of the earliest installment not yet covered by what has been settled. */
export function earliestUnpaidDueDate(invoice: InvoiceState): string | null {
  let covered = settled(invoice) + invoice.writtenOff;
  for (const installment of invoice.installments) {
    if (covered < installment.amount) return installment.dueDate;
    covered -= installment.amount;
  }
  return null;
}

export function invoiceStatus(invoice: InvoiceState): 'open' | 'partially_paid' | 'paid' | 'overdue' | 'written_off' {
  if (invoice.writtenOff > 0) return 'written_off';
  if (outstanding(invoice) === 0) return 'paid';
  if (invoice.overdue && invoice.overdue.dueDate === earliestUnpaidDueDate(invoice)) return 'overdue';
  return settled(invoice) > 0 ? 'partially_paid' : 'open';
}

/**
 * The fold changes the state in place: copying a customer's whole account per event made a
 * command's cost grow with the square of its history. The command handler only folds events
 * the store holds (or is about to hold, under its stream lock), so nobody sees a half-state.
 */
function updateInvoice(state: AccountState, invoiceId: string, change: (i: InvoiceState) => Partial<InvoiceState>): AccountState {
  const invoice = state.invoices[invoiceId];
  if (invoice) {
    Object.assign(invoice, change(invoice));
    track(state, invoice);
  }
  return state;
}

function track(state: AccountState, invoice: InvoiceState): void {
  if (outstanding(invoice) > 0 || invoice.promise) state.active[invoice.invoiceId] = true;
  else delete state.active[invoice.invoiceId];
}

function applyAllocations(state: AccountState, allocations: AllocationV1[], sign: 1 | -1, paymentId: string, on: string): void {
  for (const a of allocations) {
    const invoice = state.invoices[a.invoiceId];
    if (!invoice) continue;
    if (a.kind === 'payment') invoice.paid += sign * a.amount;
    if (a.kind === 'recovery') invoice.recovered += sign * a.amount;
    invoice.discounted += sign * a.discount;
    if (sign === 1) invoice.payments.push({ paymentId, receivedOn: on, amount: a.amount, discount: a.discount, kind: a.kind, reversed: false });
    else for (const p of invoice.payments) if (p.paymentId === paymentId) p.reversed = true;
    track(state, invoice);
  }
}

export function evolveAccount(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'InvoiceIssued': {
      const d = event.data;
      state.customerId = d.customerId;
      state.invoices[d.invoiceId] = {
        invoiceId: d.invoiceId, number: d.number, currency: d.currency, issueDate: d.issueDate, lines: d.lines,
        total: d.total, terms: d.terms, installments: d.installments, earlyPaymentDiscount: d.earlyPaymentDiscount,
        paid: 0, discounted: 0, credited: 0, writtenOff: 0, recovered: 0, overdue: null, dunningLevel: 0, dunningSteps: [], dunningResumedOn: null,
        dispute: null, promise: null, writeOffRequest: null, payments: [],
      };
      track(state, state.invoices[d.invoiceId]);
      return state;
    }
    case 'PaymentReceived': {
      const d = event.data;
      applyAllocations(state, d.allocations, 1, d.paymentId, d.receivedOn);
      state.customerId = d.customerId;
      state.payments[d.paymentId] = { currency: d.currency, receivedOn: d.receivedOn, allocations: d.allocations, unapplied: d.unapplied, reversed: false };
      state.unapplied[d.currency] = (state.unapplied[d.currency] ?? 0) + d.unapplied;
      return state;
    }
    case 'PaymentReversed': {
      const d = event.data;
      applyAllocations(state, d.allocations, -1, d.paymentId, d.reversedOn);
      const payment = state.payments[d.paymentId];
      if (payment) payment.reversed = true;
      state.unapplied[d.currency] = (state.unapplied[d.currency] ?? 0) - d.unapplied;
      return state;
    }
    case 'CreditNoteIssued':
      return updateInvoice(state, event.data.invoiceId, (i) => ({ credited: i.credited + event.data.amount }));
    case 'InvoiceDisputed':
      return updateInvoice(state, event.data.invoiceId, () => ({ dispute: { reason: event.data.reason, openedOn: event.data.openedOn } }));
    case 'InvoiceDisputeResolved':
      return updateInvoice(state, event.data.invoiceId, () => ({ dispute: null, dunningResumedOn: event.data.resolvedOn }));
    case 'PromiseToPayRecorded':
      return updateInvoice(state, event.data.invoiceId, (i) => ({ promise: { promisedDate: event.data.promisedDate, amount: event.data.amount, settledAtPromise: settled(i) } }));
    case 'PromiseToPayKept':
    case 'PromiseToPayPartiallyKept':
    case 'PromiseToPayBroken':
      return updateInvoice(state, event.data.invoiceId, () => ({ promise: null, dunningResumedOn: event.data.businessDate }));
    case 'WriteOffRequested': {
      const d = event.data;
      updateInvoice(state, d.invoiceId, () => ({ writeOffRequest: { requestId: d.requestId, requestedBy: d.requestedBy, reason: d.reason } }));
      state.writeOffRequests[d.requestId] = d.invoiceId;
      return state;
    }
    case 'WriteOffApproved':
      return updateInvoice(state, event.data.invoiceId, (i) => ({ writtenOff: i.writtenOff + event.data.amount, writeOffRequest: null }));
    case 'WriteOffRejected':
      return updateInvoice(state, event.data.invoiceId, () => ({ writeOffRequest: null }));
    case 'InvoiceBecameOverdue':
      return updateInvoice(state, event.data.invoiceId, () => ({ overdue: { dueDate: event.data.dueDate, since: event.data.businessDate } }));
    case 'DunningLevelRaised':
      return updateInvoice(state, event.data.invoiceId, (i) => {
        i.dunningSteps.push({ level: event.data.level, action: event.data.action, on: event.data.businessDate });
        return { dunningLevel: event.data.level };
      });
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
