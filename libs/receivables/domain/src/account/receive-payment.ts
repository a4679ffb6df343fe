import { AllocationV1 } from '@crm/contracts';
import { refuse } from '../receivables-errors';
import { lateEntryFor, PeriodContext } from '../periods/period-gate';
import { event } from './account.events';
import { AccountState, activeInvoices, earliestUnpaidDueDate, InvoiceState, outstanding } from './account.state';
import { matchRemittance } from './cash-application';
import { discountFor } from './early-payment-discount';

export interface ReceivePayment {
  type: 'ReceivePayment';
  data: {
    paymentId: string;
    customerId: string;
    amount: number;
    currency: string;
    receivedOn: string;
    method: string;
    reference: string;
    allocations?: Array<{ invoiceId: string; amount: number }>;
    /** Why an admin enters it in a closed period (only then recorded). */
    lateEntryReason?: string;
    /** The payer's remittance text: without allocations, cash application matches invoices by it. */
    remittance?: string;
  };
  /** Receivables' own copy of customers' facts, read before deciding. */
  context: { customerKnown: boolean };
  /** Read in the append's transaction: is the receipt date's period closed. */
  periods?: PeriodContext;
}

/** Allocation to a named invoice; a written-off invoice takes it as a recovery. */
export function namedAllocation(state: AccountState, data: { customerId: string; currency: string; receivedOn: string },
  wanted: { invoiceId: string; amount: number }, i: number, currencyField = 'currency'): AllocationV1 {
  const invoice = state.invoices[wanted.invoiceId];
  if (!invoice) throw refuse('unknown-invoice', 'refused', `invoice ${wanted.invoiceId} is not an invoice of customer ${data.customerId}`, `allocations[${i}].invoiceId`);
  if (invoice.currency !== data.currency) {
    throw refuse('currency-mismatch', 'refused', `payment is in ${data.currency} but invoice ${invoice.number} is in ${invoice.currency}`,
      currencyField.replace('{i}', String(i)));
  }
  if (invoice.writtenOff > 0) {
    const recoverable = invoice.writtenOff - invoice.recovered;
    if (wanted.amount > recoverable) {
      throw refuse('allocation-exceeds-outstanding', 'refused', `at most ${recoverable} can still be recovered on invoice ${invoice.number}`, `allocations[${i}].amount`);
    }
    return { invoiceId: invoice.invoiceId, amount: wanted.amount, discount: 0, kind: 'recovery' };
  }
  const discount = discountFor(invoice, data.receivedOn);
  const due = outstanding(invoice);
  if (discount > 0 && wanted.amount === due - discount) return { invoiceId: invoice.invoiceId, amount: wanted.amount, discount, kind: 'payment' };
  if (wanted.amount > due) {
    throw refuse('allocation-exceeds-outstanding', 'refused', `invoice ${invoice.number} has ${due} outstanding, less than ${wanted.amount}`, `allocations[${i}].amount`);
  }
  return { invoiceId: invoice.invoiceId, amount: wanted.amount, discount: 0, kind: 'payment' };
}

function oldestDueFirst(a: InvoiceState, b: InvoiceState): number {
  return (earliestUnpaidDueDate(a) ?? '').localeCompare(earliestUnpaidDueDate(b) ?? '')
    || a.issueDate.localeCompare(b.issueDate) || a.number.localeCompare(b.number);
}

/** Without named invoices: the open invoices of the payment's currency, oldest due first. */
function automaticAllocations(state: AccountState, data: ReceivePayment['data']): AllocationV1[] {
  let remaining = data.amount;
  const allocations: AllocationV1[] = [];
  const open = activeInvoices(state).filter((i) => i.currency === data.currency && i.writtenOff === 0 && outstanding(i) > 0);
  for (const invoice of open.sort(oldestDueFirst)) {
    if (remaining === 0) break;
    const due = outstanding(invoice);
    const discount = discountFor(invoice, data.receivedOn);
    if (discount > 0 && remaining >= due - discount) {
      allocations.push({ invoiceId: invoice.invoiceId, amount: due - discount, discount, kind: 'payment' });
      remaining -= due - discount;
    } else {
      const amount = Math.min(remaining, due);
      allocations.push({ invoiceId: invoice.invoiceId, amount, discount: 0, kind: 'payment' });
      remaining -= amount;
    }
  }
  return allocations;
}

export function receivePayment(command: ReceivePayment, state: AccountState) {
  const { data, context } = command;
  if (!context.customerKnown) throw refuse('unknown-customer', 'refused', `customer ${data.customerId} is not known to receivables`, 'customerId');
  if (state.payments[data.paymentId]) throw refuse('payment-exists', 'conflict', `payment ${data.paymentId} already recorded`);
  const lateEntry = lateEntryFor(data.receivedOn, 'receivedOn', command.periods, data.lateEntryReason);
  const { remittance, allocations: named, lateEntryReason: _reason, ...received } = data;
  const payment = { ...received, ...(lateEntry ? { lateEntry } : {}) };
  if (named) {
    const allocations = namedAllocations(state, data, named, data.amount, 'allocations-exceed-payment', 'the payment');
    return [event('PaymentReceived', { ...payment, ...(remittance ? { remittance } : {}), allocations, unapplied: data.amount - sum(allocations) })];
  }
  if (remittance) {
    const { allocations, matching } = matchRemittance(state, { amount: data.amount, currency: data.currency, receivedOn: data.receivedOn, remittance });
    return [event('PaymentReceived', { ...payment, allocations, unapplied: data.amount - sum(allocations), remittance, matching })];
  }
  const allocations = automaticAllocations(state, data);
  // Whatever is not allocated stays with the customer as unapplied credit.
  return [event('PaymentReceived', { ...payment, allocations, unapplied: data.amount - sum(allocations) })];
}

const sum = (allocations: AllocationV1[]) => allocations.reduce((n, a) => n + a.amount, 0);

/** Allocations a person named, under the same rules at receipt and later: each invoice once, within the money there is. */
function namedAllocations(state: AccountState, payment: { customerId: string; currency: string; receivedOn: string },
  wanted: Array<{ invoiceId: string; amount: number }>, available: number, code: string, what: string, currencyField?: string): AllocationV1[] {
  const seen = new Set<string>();
  wanted.forEach((a, i) => {
    if (seen.has(a.invoiceId)) throw refuse('duplicate-allocation', 'invalid', `invoice ${a.invoiceId} is named twice`, `allocations[${i}].invoiceId`);
    seen.add(a.invoiceId);
  });
  const allocations = wanted.map((a, i) => namedAllocation(state, payment, a, i, currencyField));
  if (sum(allocations) > available) {
    throw refuse(code, 'refused', `allocations total ${sum(allocations)}, more than the ${available} of ${what}`, 'allocations');
  }
  return allocations;
}

export interface AllocatePayment {
  type: 'AllocatePayment';
  data: { paymentId: string; allocations: Array<{ invoiceId: string; amount: number }>; allocatedOn: string; lateEntryReason?: string };
  /** Read in the append's transaction: is the allocation date's period closed. */
  periods?: PeriodContext;
}

/** Applies a payment's unapplied money to named invoices, as if named at receipt (discount by the receipt date). */
export function allocatePayment({ data, periods }: AllocatePayment, state: AccountState) {
  const payment = state.payments[data.paymentId];
  if (!payment) throw refuse('payment-not-found', 'not-found', `payment ${data.paymentId} not found`);
  const lateEntry = lateEntryFor(data.allocatedOn, 'allocatedOn', periods, data.lateEntryReason);
  if (payment.reversed) throw refuse('payment-already-reversed', 'conflict', `payment ${data.paymentId} is reversed`);
  if (payment.unapplied === 0) throw refuse('nothing-unapplied', 'conflict', `payment ${data.paymentId} has no unapplied money`);
  const allocations = namedAllocations(state, { customerId: state.customerId!, currency: payment.currency, receivedOn: payment.receivedOn },
    // The payment's currency is not in this request: the invoice named is the field at fault.
    data.allocations, payment.unapplied, 'allocations-exceed-unapplied', 'unapplied money on the payment', 'allocations[{i}].invoiceId');
  return [event('PaymentAllocated', {
    paymentId: data.paymentId, customerId: state.customerId!, currency: payment.currency, allocatedOn: data.allocatedOn,
    allocations, unapplied: payment.unapplied - sum(allocations), ...(lateEntry ? { lateEntry } : {}),
  })];
}

export interface ReversePayment {
  type: 'ReversePayment';
  /** `reversedOn` as the client sent it, if it did; `today` is the business date of the request. */
  data: { paymentId: string; reversedOn?: string; today: string; lateEntryReason?: string };
  /** Read in the append's transaction: the periods of the dates it may be dated (see `periodsConcerned`). */
  periods?: PeriodContext;
}

/** Without a date: today, unless the payment itself is dated later (a future-dated receipt). */
export function reversalDate(data: ReversePayment['data'], receivedOn: string): string {
  return data.reversedOn ?? (data.today > receivedOn ? data.today : receivedOn);
}

export function reversePayment(command: ReversePayment, state: AccountState) {
  const payment = state.payments[command.data.paymentId];
  if (!payment) throw refuse('payment-not-found', 'not-found', `payment ${command.data.paymentId} not found`);
  if (payment.reversed) throw refuse('payment-already-reversed', 'conflict', `payment ${command.data.paymentId} is already reversed`);
  const asked = command.data.reversedOn;
  if (asked !== undefined && asked < payment.receivedOn) {
    throw refuse('reversal-before-payment', 'refused', `a payment received on ${payment.receivedOn} cannot be reversed on ${asked}`, 'reversedOn');
  }
  // A bounce has happened by the time it is recorded: no reversal after today (or after a
  // future-dated receipt's own date, the date a reversal without one takes).
  const latest = reversalDate({ ...command.data, reversedOn: undefined }, payment.receivedOn);
  if (asked !== undefined && asked > latest) {
    throw refuse('reversal-date-in-future', 'refused', `a reversal cannot be dated ${asked}, after today ${command.data.today} (BUSINESS_TIME_ZONE)`, 'reversedOn', { today: command.data.today });
  }
  const reversedOn = reversalDate(command.data, payment.receivedOn);
  const lateEntry = lateEntryFor(reversedOn, 'reversedOn', command.periods, command.data.lateEntryReason);
  // Un-paying an invoice that has since been written off would leave a balance nothing can
  // collect or dun: the write-off has to be settled first.
  // Money already paid back cannot bounce as well: the refund has to be undone first.
  if (payment.refunded > 0) {
    throw refuse('payment-refunded', 'conflict', `${payment.refunded} of payment ${command.data.paymentId} was refunded to the customer`);
  }
  const writtenOff = payment.allocations.find((a) => a.kind === 'payment' && state.invoices[a.invoiceId]?.writtenOff > 0);
  if (writtenOff) {
    throw refuse('payment-allocated-to-written-off-invoice', 'conflict', `payment ${command.data.paymentId} paid invoice ${state.invoices[writtenOff.invoiceId].number}, which has since been written off`);
  }
  return [event('PaymentReversed', {
    paymentId: command.data.paymentId, customerId: state.customerId!, currency: payment.currency,
    reversedOn, allocations: payment.allocations, unapplied: payment.unapplied, ...(lateEntry ? { lateEntry } : {}),
  })];
}
