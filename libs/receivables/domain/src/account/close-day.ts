import { daysBetween } from '@crm/contracts';
import { DUNNING_LADDER, dunningAction, DunningLadder } from '../receivables-policy';
import { AccountEvent, event } from './account.events';
import { AccountState, activeInvoices, earliestUnpaidDueDate, InvoiceState, outstanding, settled } from './account.state';
import { nextDunningStep } from './dunning-ladder';

export interface CloseDay { type: 'CloseDay'; data: { businessDate: string } }

/** Promise outcome, decided on the first close on or after the promised date. */
function promiseOutcome(invoice: InvoiceState, customerId: string, businessDate: string): AccountEvent[] {
  const promise = invoice.promise;
  if (!promise || businessDate < promise.promisedDate) return [];
  const paid = settled(invoice) - promise.settledAtPromise;
  const data = { invoiceId: invoice.invoiceId, customerId, promisedDate: promise.promisedDate, promised: promise.amount, paid, businessDate };
  if (paid >= promise.amount) return [event('PromiseToPayKept', data)];
  return [event(paid > 0 ? 'PromiseToPayPartiallyKept' : 'PromiseToPayBroken', data)];
}

/**
 * What closing `businessDate` means for one invoice: overdue once its earliest unpaid
 * installment is past due; dunning climbs the ladder one level per business day unless
 * disputed or a promise is pending; a promise broken today escalates at once. Closing the same date again yields nothing.
 */
function closeInvoice(invoice: InvoiceState, customerId: string, businessDate: string, ladder: DunningLadder): AccountEvent[] {
  // A promise is judged even when the invoice has meanwhile been paid in full (then it was kept).
  if (outstanding(invoice) === 0 || invoice.writtenOff > 0) return promiseOutcome(invoice, customerId, businessDate);
  const events: AccountEvent[] = [];
  const dueDate = earliestUnpaidDueDate(invoice);
  const daysOverdue = dueDate ? daysBetween(dueDate, businessDate) : 0;
  if (dueDate && daysOverdue >= 1 && invoice.overdue?.dueDate !== dueDate) {
    events.push(event('InvoiceBecameOverdue', { invoiceId: invoice.invoiceId, customerId, currency: invoice.currency, businessDate, dueDate, daysOverdue, outstanding: outstanding(invoice) }));
  }
  const outcome = promiseOutcome(invoice, customerId, businessDate);
  events.push(...outcome);
  const broken = outcome[0]?.type === 'PromiseToPayBroken';
  const promisePending = invoice.promise !== null && outcome.length === 0;
  if (daysOverdue >= 1 && !invoice.dispute && !promisePending) {
    events.push(...(broken ? escalation(invoice, customerId, dueDate!, businessDate, ladder) : ladderStep(invoice, customerId, dueDate!, businessDate, ladder)));
  }
  return events;
}

/**
 * At most one level a close: the next level when the days overdue call for it (and a day has
 * passed since the level before it and since the ladder resumed), dated the closed business
 * date. A late close therefore climbs one level, and the schedule makes the account due again
 * the next business day (`nextDunningStep` from this step), so the reminder, the call and the
 * letter are each recorded on the day they can be acted on, never back-dated.
 */
function ladderStep(invoice: InvoiceState, customerId: string, dueDate: string, businessDate: string, ladder: DunningLadder): AccountEvent[] {
  const step = nextDunningStep(invoice, dueDate, undefined, ladder);
  if (!step || step.on > businessDate) return [];
  return [event('DunningLevelRaised', { invoiceId: invoice.invoiceId, customerId, businessDate, level: step.level,
    previousLevel: invoice.dunningLevel, daysOverdue: daysBetween(dueDate, businessDate), action: step.action })];
}

/** A promise broken today escalates at once: the next level, today, whatever its threshold. */
function escalation(invoice: InvoiceState, customerId: string, dueDate: string, businessDate: string, ladder: DunningLadder): AccountEvent[] {
  if (invoice.dunningLevel >= ladder.length) return [];
  const level = invoice.dunningLevel + 1;
  return [event('DunningLevelRaised', { invoiceId: invoice.invoiceId, customerId, businessDate, level, previousLevel: invoice.dunningLevel,
    daysOverdue: daysBetween(dueDate, businessDate), action: dunningAction(level, ladder) })];
}

/** `ladder`: the ladder in force (a what-if replays closes under another). */
export function closeDay({ data }: CloseDay, state: AccountState, ladder: DunningLadder = DUNNING_LADDER): AccountEvent[] {
  if (!state.customerId) return [];
  // Settled invoices without a pending promise have nothing left to close.
  return activeInvoices(state).flatMap((invoice) => closeInvoice(invoice, state.customerId!, data.businessDate, ladder));
}
