import { addDays } from '@crm/contracts';
import { AccountEvent } from './account.events';
import { AccountState, activeInvoices, earliestUnpaidDueDate, InvoiceState, outstanding } from './account.state';
import { nextDunningStep } from './dunning-ladder';
import { invoiceNumberKey } from './invoice-number-key';

/**
 * Ids an account's events make it the owner of: how an invoice, payment or write-off request
 * finds its stream, and an invoice number its payer (a payment from an unknown payer).
 */
export function accountLookups(event: AccountEvent): Array<{ kind: string; id: string }> {
  switch (event.type) {
    case 'InvoiceIssued': return [{ kind: 'invoice', id: event.data.invoiceId }, { kind: INVOICE_NUMBER_LOOKUP, id: invoiceNumberKey(event.data.number) }];
    case 'PaymentReceived': return [{ kind: 'payment', id: event.data.paymentId }];
    case 'WriteOffRequested': return [{ kind: 'write-off-request', id: event.data.requestId }];
    default: return [];
  }
}

export const INVOICE_NUMBER_LOOKUP = 'invoice-number';

/**
 * The first business date whose close records something for this invoice (see `closeDay`):
 * a pending promise's date, the day after the earliest unpaid installment falls due, the next
 * dunning step (see `nextDunningStep`) — none while a dispute is open or a promise pauses the ladder.
 */
function nextInvoiceTransition(invoice: InvoiceState): string | null {
  const promiseDue = invoice.promise?.promisedDate ?? null;
  if (outstanding(invoice) === 0 || invoice.writtenOff > 0) return promiseDue;
  const dueDate = earliestUnpaidDueDate(invoice);
  if (!dueDate) return promiseDue;
  const candidates = [promiseDue];
  if (invoice.overdue?.dueDate !== dueDate) candidates.push(addDays(dueDate, 1));
  if (!invoice.dispute && !invoice.promise) candidates.push(nextDunningStep(invoice, dueDate)?.on ?? null);
  return earliest(candidates);
}

/** When a day close next has work for the account: the earliest of its invoices' transitions. */
export function nextAccountTransition(state: AccountState): string | null {
  return earliest(activeInvoices(state).map(nextInvoiceTransition));
}

function earliest(dates: Array<string | null>): string | null {
  return dates.reduce<string | null>((min, d) => (d !== null && (min === null || d < min) ? d : min), null);
}
