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
}

export const initialAccount = (): AccountState =>
  ({ customerId: null, invoices: {}, payments: {}, writeOffRequests: {}, unapplied: {} });

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

function updateInvoice(state: AccountState, invoiceId: string, change: (i: InvoiceState) => Partial<InvoiceState>): AccountState {
  const invoice = state.invoices[invoiceId];
  if (!invoice) return state;
  return { ...state, invoices: { ...state.invoices, [invoiceId]: { ...invoice, ...change(invoice) } } };
}

function applyAllocations(state: AccountState, allocations: AllocationV1[], sign: 1 | -1, paymentId: string, on: string): AccountState {
  return allocations.reduce((s, a) => updateInvoice(s, a.invoiceId, (i) => ({
    paid: a.kind === 'payment' ? i.paid + sign * a.amount : i.paid,
    discounted: i.discounted + sign * a.discount,
    recovered: a.kind === 'recovery' ? i.recovered + sign * a.amount : i.recovered,
    payments: sign === 1
      ? [...i.payments, { paymentId, receivedOn: on, amount: a.amount, discount: a.discount, kind: a.kind, reversed: false }]
      : i.payments.map((p) => (p.paymentId === paymentId ? { ...p, reversed: true } : p)),
  })), state);
}

export function evolveAccount(state: AccountState, event: AccountEvent): AccountState {
  const d = event.data as any;
  switch (event.type) {
    case 'InvoiceIssued':
      return {
        ...state,
        customerId: d.customerId,
        invoices: {
          ...state.invoices,
          [d.invoiceId]: {
            invoiceId: d.invoiceId, number: d.number, currency: d.currency, issueDate: d.issueDate, lines: d.lines,
            total: d.total, terms: d.terms, installments: d.installments, earlyPaymentDiscount: d.earlyPaymentDiscount,
            paid: 0, discounted: 0, credited: 0, writtenOff: 0, recovered: 0, overdue: null, dunningLevel: 0,
            dispute: null, promise: null, writeOffRequest: null, payments: [],
          },
        },
      };
    case 'PaymentReceived': {
      const next = applyAllocations(state, event.data.allocations, 1, event.data.paymentId, event.data.receivedOn);
      return {
        ...next,
        customerId: event.data.customerId,
        payments: {
          ...next.payments,
          [event.data.paymentId]: {
            currency: event.data.currency, receivedOn: event.data.receivedOn, allocations: event.data.allocations, unapplied: event.data.unapplied, reversed: false,
          },
        },
        unapplied: { ...next.unapplied, [event.data.currency]: (next.unapplied[event.data.currency] ?? 0) + event.data.unapplied },
      };
    }
    case 'PaymentReversed': {
      const next = applyAllocations(state, event.data.allocations, -1, event.data.paymentId, event.data.reversedOn);
      const payment = next.payments[event.data.paymentId];
      return {
        ...next,
        payments: { ...next.payments, [event.data.paymentId]: { ...payment, reversed: true } },
        unapplied: { ...next.unapplied, [event.data.currency]: (next.unapplied[event.data.currency] ?? 0) - event.data.unapplied },
      };
    }
    case 'CreditNoteIssued':
      return updateInvoice(state, d.invoiceId, (i) => ({ credited: i.credited + d.amount }));
    case 'InvoiceDisputed':
      return updateInvoice(state, d.invoiceId, () => ({ dispute: { reason: d.reason, openedOn: d.openedOn } }));
    case 'InvoiceDisputeResolved':
      return updateInvoice(state, d.invoiceId, () => ({ dispute: null }));
    case 'PromiseToPayRecorded':
      return updateInvoice(state, d.invoiceId, (i) => ({ promise: { promisedDate: d.promisedDate, amount: d.amount, settledAtPromise: settled(i) } }));
    case 'PromiseToPayKept':
    case 'PromiseToPayPartiallyKept':
    case 'PromiseToPayBroken':
      return updateInvoice(state, d.invoiceId, () => ({ promise: null }));
    case 'WriteOffRequested':
      return {
        ...updateInvoice(state, d.invoiceId, () => ({ writeOffRequest: { requestId: d.requestId, requestedBy: d.requestedBy, reason: d.reason } })),
        writeOffRequests: { ...state.writeOffRequests, [d.requestId]: d.invoiceId },
      };
    case 'WriteOffApproved':
      return updateInvoice(state, d.invoiceId, (i) => ({ writtenOff: i.writtenOff + d.amount, writeOffRequest: null }));
    case 'WriteOffRejected':
      return updateInvoice(state, d.invoiceId, () => ({ writeOffRequest: null }));
    case 'InvoiceBecameOverdue':
      return updateInvoice(state, d.invoiceId, () => ({ overdue: { dueDate: d.dueDate, since: d.businessDate } }));
    case 'DunningLevelRaised':
      return updateInvoice(state, d.invoiceId, () => ({ dunningLevel: d.level }));
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
