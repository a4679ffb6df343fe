import { AccountEvent } from '../account/account.events';

export interface StatementLine { date: string; type: string; reference: string; amount: number }
export interface CurrencyStatement { currency: string; openingBalance: number; lines: StatementLine[]; closingBalance: number }

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
  for (const line of events.flatMap(linesOf).sort((a, b) => a.date.localeCompare(b.date))) {
    if (line.date > to) continue;
    const s = byCurrency.get(line.currency) ?? { currency: line.currency, openingBalance: 0, lines: [], closingBalance: 0 };
    const { currency: _c, ...rest } = line;
    if (line.date < from) s.openingBalance += line.amount;
    else s.lines.push(rest);
    s.closingBalance += line.amount;
    byCurrency.set(line.currency, s);
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
