import { AccountEvent } from '../account/account.events';

export interface StatementLine { date: string; type: string; reference: string; amount: number }
/**
 * `closingBalance` is what the customer owes net: `openBalance` (invoices still outstanding at
 * `to`) less `creditBalance` (money the customer has with us: unapplied payments, credit notes
 * above an invoice's outstanding, less what was applied or refunded since).
 */
export interface CurrencyStatement {
  currency: string; openingBalance: number; lines: StatementLine[]; closingBalance: number; creditBalance: number; openBalance: number;
}

/** How an event moves the customer's credit balance (dated like its statement line). */
function creditBalanceChange(event: AccountEvent): { currency: string; date: string; amount: number } | null {
  const total = (items: Array<{ amount: number }>) => items.reduce((n, a) => n + a.amount, 0);
  switch (event.type) {
    case 'PaymentReceived': return { currency: event.data.currency, date: event.data.receivedOn, amount: event.data.unapplied };
    case 'PaymentReversed': return { currency: event.data.currency, date: event.data.reversedOn, amount: -event.data.unapplied };
    case 'PaymentAllocated': return { currency: event.data.currency, date: event.data.allocatedOn, amount: -total(event.data.allocations) };
    case 'CreditBalanceApplied': return { currency: event.data.currency, date: event.data.appliedOn, amount: -total(event.data.applications) };
    case 'CreditBalanceRefunded': return { currency: event.data.currency, date: event.data.refundedOn, amount: -event.data.amount };
    case 'CreditNoteIssued': return event.data.toCreditBalance ? { currency: event.data.currency, date: event.data.issuedOn, amount: event.data.toCreditBalance } : null;
    default: return null;
  }
}

/** Balance effect of each event: what the customer owes goes up with invoices, down with money and credits. */
function linesOf(event: AccountEvent): Array<StatementLine & { currency: string }> {
  const d = event.data as any;
  const recovered = (allocations: any[]) => allocations.filter((a) => a.kind === 'recovery').reduce((n, a) => n + a.amount, 0);
  const discounts = (allocations: any[]) => allocations.reduce((n, a) => n + a.discount, 0);
  switch (event.type) {
    case 'InvoiceIssued':
      return [{ currency: d.currency, date: d.issueDate, type: 'invoice', reference: d.number, amount: d.total }];
    case 'PaymentReceived':
    case 'PaymentReversed': {
      const sign = event.type === 'PaymentReceived' ? -1 : 1;
      const date = event.type === 'PaymentReceived' ? d.receivedOn : d.reversedOn;
      // The line shows all the money; money recovering a write-off also reinstates that much of
      // the written-off debt, so the pair leaves the balance where the write-off put it.
      const amount = d.allocations.reduce((n: number, a: any) => n + a.amount, 0) + d.unapplied;
      const lines = [{ currency: d.currency, date, type: event.type === 'PaymentReceived' ? 'payment' : 'payment_reversal', reference: d.paymentId, amount: sign * amount }];
      if (recovered(d.allocations) > 0) {
        lines.push({ currency: d.currency, date, type: 'write_off_recovered', reference: d.paymentId, amount: -sign * recovered(d.allocations) });
      }
      if (discounts(d.allocations) > 0) lines.push({ currency: d.currency, date, type: 'early_payment_discount', reference: d.paymentId, amount: sign * discounts(d.allocations) });
      return lines;
    }
    case 'PaymentAllocated': {
      // Unapplied money moving onto invoices leaves the balance as it was; a discount it earns, or a
      // write-off it recovers, moves it.
      const lines: Array<StatementLine & { currency: string }> = [];
      if (discounts(d.allocations) > 0) lines.push({ currency: d.currency, date: d.allocatedOn, type: 'early_payment_discount', reference: d.paymentId, amount: -discounts(d.allocations) });
      if (recovered(d.allocations) > 0) lines.push({ currency: d.currency, date: d.allocatedOn, type: 'write_off_recovered', reference: d.paymentId, amount: recovered(d.allocations) });
      return lines;
    }
    case 'CreditBalanceRefunded':
      return [{ currency: d.currency, date: d.refundedOn, type: 'refund', reference: d.reference, amount: d.amount }];
    case 'CreditNoteIssued':
      return [{ currency: d.currency, date: d.issuedOn, type: 'credit_note', reference: d.creditNoteId, amount: -d.amount }];
    case 'WriteOffApproved':
      return [{ currency: d.currency, date: d.approvedOn, type: 'write_off', reference: d.requestId, amount: -d.amount }];
    default:
      return [];
  }
}

/** 对账: opening balance before `from`, the movements from `from` to `to`, closing balance. */
export function customerStatement(events: AccountEvent[], from: string, to: string): CurrencyStatement[] {
  const byCurrency = new Map<string, CurrencyStatement>();
  const of = (currency: string) => byCurrency.get(currency)
    ?? byCurrency.set(currency, { currency, openingBalance: 0, lines: [], closingBalance: 0, creditBalance: 0, openBalance: 0 }).get(currency)!;
  for (const line of events.flatMap(linesOf).sort((a, b) => a.date.localeCompare(b.date))) {
    if (line.date > to) continue;
    const s = of(line.currency);
    const { currency: _c, ...rest } = line;
    if (line.date < from) s.openingBalance += line.amount;
    else s.lines.push(rest);
    s.closingBalance += line.amount;
  }
  for (const change of events.map(creditBalanceChange)) {
    if (change && change.date <= to) of(change.currency).creditBalance += change.amount;
  }
  for (const s of byCurrency.values()) s.openBalance = s.closingBalance + s.creditBalance;
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
