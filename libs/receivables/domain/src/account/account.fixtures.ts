import { AccountEvent, event } from './account.events';
import { IssueInvoice } from './issue-invoice';

export const CUSTOMER = '11111111-1111-4111-8111-111111111111';
export const INV_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const INV_B = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
export const PAY_1 = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';

export const noCreditLimits: IssueInvoice['context'] = { customerKnown: true, onCreditHold: false, creditLimit: null };

export function issue(overrides: Partial<IssueInvoice['data']> = {}, context = noCreditLimits): IssueInvoice {
  return {
    type: 'IssueInvoice',
    data: {
      invoiceId: INV_A, number: 'INV-000001', customerId: CUSTOMER, currency: 'CNY', issueDate: '2026-01-01',
      lines: [{ description: 'Tea', quantity: 10, unitPrice: 10_000 }], terms: { type: 'net', days: 30 }, ...overrides,
    },
    context,
  };
}

/** An issued invoice of `total` in CNY, due `days` after `issueDate`. */
export function issued(invoiceId: string, total: number, issueDate = '2026-01-01', days = 30, number = `N-${invoiceId.slice(0, 4)}`): AccountEvent {
  const due = new Date(Date.parse(`${issueDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  return event('InvoiceIssued', {
    invoiceId, number, customerId: CUSTOMER, currency: 'CNY', issueDate,
    lines: [{ description: 'Goods', quantity: 1, unitPrice: total, amount: total }], total,
    terms: { type: 'net', days }, installments: [{ dueDate: due, amount: total }], earlyPaymentDiscount: null,
  });
}
