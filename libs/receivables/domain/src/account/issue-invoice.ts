import { addDays, daysBetween, EarlyPaymentDiscountV1, InstallmentV1, InvoiceLineV1 } from '@crm/contracts';
import { refuse } from '../receivables-errors';
import { lateEntryFor, PeriodContext } from '../periods/period-gate';
import { event } from './account.events';
import { AccountState, activeInvoices, outstanding } from './account.state';

export interface IssueInvoice {
  type: 'IssueInvoice';
  data: {
    invoiceId: string;
    /** Taken from the invoice series in the append's transaction (gapless), so absent until then. */
    number?: string;
    customerId: string;
    currency: string;
    issueDate: string;
    lines: Array<Omit<InvoiceLineV1, 'amount'>>;
    terms: { type: 'net'; days: number } | { type: 'installments'; schedule: InstallmentV1[] };
    earlyPaymentDiscount?: { percent: number; withinDays: number };
    /** Why an admin enters it in a closed period (only then recorded). */
    lateEntryReason?: string;
  };
  /** Read in the append's transaction: is the issue date's period closed (see `lateEntryFor`). */
  periods?: PeriodContext;
  /** Receivables' own copies of other services' facts, read before deciding. */
  context: {
    customerKnown: boolean;
    onCreditHold: boolean;
    creditLimit: { amount: number; currency: string } | null;
    /** The longest payment terms credit approved with the limit (null: none recorded, not checked). */
    creditTermsDays?: number | null;
  };
}

function installmentsOf(command: IssueInvoice['data'], total: number): InstallmentV1[] {
  const { terms, issueDate } = command;
  if (terms.type === 'net') return [{ dueDate: addDays(issueDate, terms.days), amount: total }];
  // Checked in the client's order, so the field named is the entry the client sent.
  const seen = new Set<string>();
  terms.schedule.forEach((s, i) => {
    if (seen.has(s.dueDate)) {
      throw refuse('duplicate-installment-date', 'invalid', `two installments fall due on ${s.dueDate}; merge them`, `terms.schedule[${i}].dueDate`);
    }
    seen.add(s.dueDate);
    if (daysBetween(issueDate, s.dueDate) < 0) {
      throw refuse('due-date-before-issue-date', 'invalid', `installment due ${s.dueDate} is before the issue date ${issueDate}`, `terms.schedule[${i}].dueDate`);
    }
  });
  const schedule = [...terms.schedule].sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  const sum = schedule.reduce((n, s) => n + s.amount, 0);
  if (sum !== total) {
    throw refuse('installments-do-not-sum-to-total', 'invalid', `installments sum to ${sum} but the invoice total is ${total}`, 'terms.schedule');
  }
  return schedule;
}

/** Net days, or the days to the last installment, may not exceed the terms credit approved. */
function checkCreditTerms(data: IssueInvoice['data'], installments: InstallmentV1[], approved: number | null): void {
  if (approved === null) return;
  const days = data.terms.type === 'net' ? data.terms.days : daysBetween(data.issueDate, installments[installments.length - 1].dueDate);
  if (days > approved) {
    throw refuse('terms-exceed-credit-terms', 'refused', `payment terms of ${days} days exceed the ${approved} days credit approved for customer ${data.customerId}`,
      data.terms.type === 'net' ? 'terms.days' : 'terms.schedule', { approvedPaymentTermsDays: approved });
  }
}

export function issueInvoice(command: IssueInvoice, state: AccountState) {
  const { data, context } = command;
  if (!context.customerKnown) throw refuse('unknown-customer', 'refused', `customer ${data.customerId} is not known to receivables`, 'customerId');
  if (state.invoices[data.invoiceId]) throw refuse('invoice-exists', 'conflict', `invoice ${data.invoiceId} already exists`);
  const lateEntry = lateEntryFor(data.issueDate, 'issueDate', command.periods, data.lateEntryReason);
  const lines = data.lines.map((l) => ({ ...l, amount: l.quantity * l.unitPrice }));
  const total = lines.reduce((n, l) => n + l.amount, 0);
  if (!Number.isSafeInteger(total)) throw refuse('amount-too-large', 'invalid', 'the invoice total exceeds the largest safe integer', 'lines');
  // Nothing to collect: free goods belong on an invoice with something to pay, or on none.
  if (total === 0) throw refuse('invoice-total-zero', 'invalid', 'the invoice total is 0; an invoice must ask for money', 'lines');
  const installments = installmentsOf(data, total);

  if (context.onCreditHold) throw refuse('credit-hold', 'refused', `customer ${data.customerId} is on credit hold`);
  checkCreditTerms(data, installments, context.creditTermsDays ?? null);
  const limit = context.creditLimit;
  if (limit && limit.currency !== data.currency) {
    // Without an exchange rate the exposure cannot be compared with the limit: no credit.
    throw refuse('credit-limit-exceeded', 'refused', `the credit limit is in ${limit.currency}; an invoice in ${data.currency} cannot be checked against it`, 'currency');
  }
  if (limit) {
    // Net of the customer's credit balance, as credit counts exposure.
    const exposure = activeInvoices(state).filter((i) => i.currency === data.currency).reduce((n, i) => n + outstanding(i), 0)
      - Math.max(0, state.unapplied[data.currency] ?? 0);
    if (exposure + total > limit.amount) {
      throw refuse('credit-limit-exceeded', 'refused',
        `invoice of ${total} would bring exposure to ${exposure + total}, above the credit limit of ${limit.amount} ${limit.currency}`);
    }
  }
  const discount: EarlyPaymentDiscountV1 | null = data.earlyPaymentDiscount
    ? { ...data.earlyPaymentDiscount, deadline: addDays(data.issueDate, data.earlyPaymentDiscount.withinDays) }
    : null;
  if (!data.number) throw new Error('IssueInvoice is decided with the number its append took');
  return [event('InvoiceIssued', {
    invoiceId: data.invoiceId, number: data.number, customerId: data.customerId, currency: data.currency,
    issueDate: data.issueDate, lines, total, terms: data.terms.type === 'net' ? { type: 'net', days: data.terms.days } : { type: 'installments' },
    installments, earlyPaymentDiscount: discount, ...(lateEntry ? { lateEntry } : {}),
  })];
}
