import { InvoiceState, outstanding, settled } from './account.state';

/**
 * The discount a payment received on `receivedOn` earns: percent of the total, rounded half
 * up to a minor unit, only while nothing else has settled the invoice and within the window.
 * Percent is kept to basis points so the arithmetic stays in integers.
 */
export function discountFor(invoice: InvoiceState, receivedOn: string): number {
  const d = invoice.earlyPaymentDiscount;
  if (!d || receivedOn > d.deadline || settled(invoice) > 0 || outstanding(invoice) !== invoice.total) return 0;
  const basisPoints = Math.round(d.percent * 100);
  return Math.floor((invoice.total * basisPoints + 5000) / 10000);
}
