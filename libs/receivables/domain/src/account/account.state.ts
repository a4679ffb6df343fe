import { AllocationV1, CreditSourceV1, EarlyPaymentDiscountV1, InstallmentV1, InvoiceLineV1, PaymentTermsV1 } from '@crm/contracts';
import { AccountEvent } from './account.events';
import { invoiceNumberKey, yearSeriesKey } from './invoice-number-key';

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
  /** Credit notes' parts above the outstanding: credited, but to the customer's credit balance. */
  creditedToBalance: number;
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

export interface PaymentState {
  currency: string;
  receivedOn: string;
  /** Every allocation of the payment: at receipt, applied later, or taken by auto-applied credit. */
  allocations: AllocationV1[];
  /** What the payment still holds unapplied (part of the customer's credit balance). */
  unapplied: number;
  /** Unapplied money of the payment paid back to the customer. */
  refunded: number;
  reversed: boolean;
  remittance: string | null;
}

/** One part of the credit balance, by where it came from (oldest first: the order it is used in). */
export interface CreditSourceState extends CreditSourceV1 { currency: string }

export interface AccountState {
  customerId: string | null;
  invoices: Record<string, InvoiceState>;
  payments: Record<string, PaymentState>;
  writeOffRequests: Record<string, string>;
  /** The customer's credit balance per currency: unapplied money plus credit notes above the outstanding. */
  unapplied: Record<string, number>;
  /** The credit balance by source, keyed `kind:id`, in the order it arose; emptied sources are removed. */
  credits: Record<string, CreditSourceState>;
  /** Invoice number (as `invoiceNumberKey` reads it) → invoice id: how a remittance finds an invoice. */
  invoiceNumbers: Record<string, string>;
  /** The customer's receivables settings (version 0: never set, the defaults). */
  policy: { version: number; autoApplyCredit: boolean };
  /**
   * Invoices a decision can still concern: something outstanding, or a promise pending. Kept
   * by the fold so deciders and the day-close schedule look at these, not at every invoice
   * the customer ever had (a settled one only matters when named, e.g. by a reversal).
   */
  active: Record<string, true>;
}

export const initialAccount = (): AccountState =>
  ({ customerId: null, invoices: {}, payments: {}, writeOffRequests: {}, unapplied: {}, credits: {}, invoiceNumbers: {}, active: {},
    policy: { version: 0, autoApplyCredit: false } });

export const creditKey = (source: { kind: CreditSourceV1['kind']; id: string }) => `${source.kind}:${source.id}`;

/** The credit balance's sources in one currency, oldest first. */
export function creditSources(state: AccountState, currency: string): CreditSourceState[] {
  return Object.values(state.credits).filter((c) => c.currency === currency);
}

/** Takes `amount` off the credit balance, from the named source. */
function useCredit(state: AccountState, currency: string, source: { kind: CreditSourceV1['kind']; id: string }, amount: number): void {
  state.unapplied[currency] = (state.unapplied[currency] ?? 0) - amount;
  const key = creditKey(source);
  const credit = state.credits[key];
  if (credit) {
    credit.amount -= amount;
    if (credit.amount <= 0) delete state.credits[key];
  }
  const payment = source.kind === 'payment' ? state.payments[source.id] : undefined;
  if (payment) payment.unapplied -= amount;
}

function addCredit(state: AccountState, currency: string, source: { kind: CreditSourceV1['kind']; id: string }, amount: number): void {
  if (amount <= 0) return;
  state.unapplied[currency] = (state.unapplied[currency] ?? 0) + amount;
  state.credits[creditKey(source)] = { kind: source.kind, id: source.id, currency, amount };
}

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
      state.invoiceNumbers[invoiceNumberKey(d.number)] = d.invoiceId;
      // A remittance may leave the prefix out ("2026-000001"): the account's first such number keeps it.
      const bare = yearSeriesKey(invoiceNumberKey(d.number));
      if (bare) state.invoiceNumbers[bare] ??= d.invoiceId;
      state.invoices[d.invoiceId] = {
        invoiceId: d.invoiceId, number: d.number, currency: d.currency, issueDate: d.issueDate, lines: d.lines,
        total: d.total, terms: d.terms, installments: d.installments, earlyPaymentDiscount: d.earlyPaymentDiscount,
        paid: 0, discounted: 0, credited: 0, creditedToBalance: 0, writtenOff: 0, recovered: 0, overdue: null, dunningLevel: 0, dunningSteps: [], dunningResumedOn: null,
        dispute: null, promise: null, writeOffRequest: null, payments: [],
      };
      track(state, state.invoices[d.invoiceId]);
      return state;
    }
    case 'PaymentReceived': {
      const d = event.data;
      applyAllocations(state, d.allocations, 1, d.paymentId, d.receivedOn);
      state.customerId = d.customerId;
      // A copy: later allocations are added to the payment's list, never to the event's.
      state.payments[d.paymentId] = { currency: d.currency, receivedOn: d.receivedOn, allocations: [...d.allocations], unapplied: 0, refunded: 0,
        reversed: false, remittance: d.remittance ?? null };
      addCredit(state, d.currency, { kind: 'payment', id: d.paymentId }, d.unapplied);
      state.payments[d.paymentId].unapplied = d.unapplied;
      return state;
    }
    case 'PaymentAllocated': {
      const d = event.data;
      const payment = state.payments[d.paymentId];
      if (!payment) return state;
      applyAllocations(state, d.allocations, 1, d.paymentId, payment.receivedOn);
      payment.allocations.push(...d.allocations);
      useCredit(state, d.currency, { kind: 'payment', id: d.paymentId }, d.allocations.reduce((n, a) => n + a.amount, 0));
      return state;
    }
    case 'CreditBalanceApplied': {
      const d = event.data;
      for (const a of d.applications) {
        const invoice = state.invoices[a.invoiceId];
        const payment = a.source.kind === 'payment' ? state.payments[a.source.id] : undefined;
        if (invoice && payment) {
          // Money of a payment: the invoice is paid by it (a reversal of the payment takes it back).
          invoice.paid += a.amount;
          invoice.payments.push({ paymentId: a.source.id, receivedOn: d.appliedOn, amount: a.amount, discount: 0, kind: 'payment', reversed: false });
          payment.allocations.push({ invoiceId: a.invoiceId, amount: a.amount, discount: 0, kind: 'payment' });
        } else if (invoice) {
          invoice.credited += a.amount;
        }
        if (invoice) track(state, invoice);
        useCredit(state, d.currency, a.source, a.amount);
      }
      return state;
    }
    case 'CreditBalanceRefunded': {
      const d = event.data;
      for (const source of d.sources) {
        useCredit(state, d.currency, source, source.amount);
        const payment = source.kind === 'payment' ? state.payments[source.id] : undefined;
        if (payment) payment.refunded += source.amount;
      }
      return state;
    }
    case 'ReceivablesPolicyChanged':
      state.customerId = event.data.customerId;
      state.policy = { version: event.data.version, autoApplyCredit: event.data.autoApplyCredit };
      return state;
    case 'PaymentReversed': {
      const d = event.data;
      applyAllocations(state, d.allocations, -1, d.paymentId, d.reversedOn);
      const payment = state.payments[d.paymentId];
      if (payment) payment.reversed = true;
      useCredit(state, d.currency, { kind: 'payment', id: d.paymentId }, d.unapplied);
      return state;
    }
    case 'CreditNoteIssued': {
      const d = event.data;
      const excess = d.toCreditBalance ?? 0;
      updateInvoice(state, d.invoiceId, (i) => ({ credited: i.credited + d.amount - excess, creditedToBalance: i.creditedToBalance + excess }));
      addCredit(state, d.currency, { kind: 'credit-note', id: d.creditNoteId }, excess);
      return state;
    }
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
