import { isEventOf } from '../event-map';
import { MoneyV1 } from '../credit/credit-events';

/**
 * How a receivables event moves a customer's credit exposure, per currency: invoices add their
 * total; payments take off what they settled (discounts included) and their unapplied cash
 * (reversals put it back); credit notes and write-offs take off their amount. Sums of these
 * are order-independent. Credit's positions and holds and customers' 360 add the same changes.
 */
export function exposureChange(event: { type: string; data: unknown }): MoneyV1[] {
  if (isEventOf(event, 'InvoiceIssued')) return [{ currency: event.data.currency, amount: event.data.total }];
  if (isEventOf(event, 'PaymentReceived', 'PaymentReversed')) {
    const sign = event.type === 'PaymentReceived' ? -1 : 1;
    const applied = event.data.allocations.filter((a) => a.kind === 'payment').reduce((n, a) => n + a.amount + a.discount, 0);
    return [{ currency: event.data.currency, amount: sign * (applied + event.data.unapplied) }];
  }
  if (isEventOf(event, 'CreditNoteIssued', 'WriteOffApproved')) return [{ currency: event.data.currency, amount: -event.data.amount }];
  return [];
}
