import { isEventOf } from '../event-map';
import { MoneyV1 } from '../credit/credit-events';

/**
 * How a receivables event moves a customer's credit exposure, per currency: invoices add their
 * total; payments take off what they settled (discounts included) and their unapplied cash
 * (reversals put back all they still hold, what was applied later included); credit notes and write-offs take off their amount,
 * a credit note's part above the outstanding as credit balance. Money moving from the credit
 * balance onto invoices changes nothing (only a discount it earns does); a refund of credit
 * balance adds its amount back. Sums of these are order-independent. Credit's positions and
 * holds and customers' 360 add the same changes.
 */
export function exposureChange(event: { type: string; data: unknown }): MoneyV1[] {
  if (isEventOf(event, 'InvoiceIssued')) return [{ currency: event.data.currency, amount: event.data.total }];
  if (isEventOf(event, 'PaymentReceived', 'PaymentReversed')) {
    const sign = event.type === 'PaymentReceived' ? -1 : 1;
    const applied = event.data.allocations.filter((a) => a.kind === 'payment').reduce((n, a) => n + a.amount + a.discount, 0);
    return [{ currency: event.data.currency, amount: sign * (applied + event.data.unapplied) }];
  }
  if (isEventOf(event, 'PaymentAllocated')) {
    // Unapplied money was already netted: settling an invoice with it moves only its discount;
    // recovering a write-off with it is money no longer held as credit.
    const discount = event.data.allocations.reduce((n, a) => n + a.discount, 0);
    const recovered = event.data.allocations.filter((a) => a.kind === 'recovery').reduce((n, a) => n + a.amount, 0);
    return discount !== recovered ? [{ currency: event.data.currency, amount: recovered - discount }] : [];
  }
  if (isEventOf(event, 'CreditBalanceRefunded')) return [{ currency: event.data.currency, amount: event.data.amount }];
  if (isEventOf(event, 'CreditNoteIssued', 'WriteOffApproved')) return [{ currency: event.data.currency, amount: -event.data.amount }];
  return [];
}
