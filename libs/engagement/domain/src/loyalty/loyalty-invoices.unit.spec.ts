import { LoyaltyInvoice, splitAllocation } from './loyalty-invoices';

const invoice = (settled = 0): LoyaltyInvoice => ({ invoiceId: 'i', customerId: 'c', currency: 'CNY', settled,
  installments: [{ dueDate: '2026-01-31', amount: 400 }, { dueDate: '2026-02-28', amount: 600 }] });

describe('which installments an allocation pays', () => {
  it('pays the earliest installment not yet covered first, then the next', () => {
    const i = invoice(300);
    expect(splitAllocation(i, { invoiceId: 'i', amount: 500, discount: 0, kind: 'payment' }, '2026-02-10'))
      .toEqual([{ invoiceId: 'i', amount: 100, dueDate: '2026-01-31', kind: 'payment' }, { invoiceId: 'i', amount: 400, dueDate: '2026-02-28', kind: 'payment' }]);
    expect(i.settled).toBe(800);
  });

  it('counts the discount as settled after the cash', () => {
    const i = invoice();
    splitAllocation(i, { invoiceId: 'i', amount: 380, discount: 20, kind: 'payment' }, '2026-01-10');
    expect(splitAllocation(i, { invoiceId: 'i', amount: 600, discount: 0, kind: 'payment' }, '2026-03-01')).toEqual([{ invoiceId: 'i', amount: 600, dueDate: '2026-02-28', kind: 'payment' }]);
  });

  it('takes an invoice loyalty never saw as due on the payment day', () =>
    expect(splitAllocation(undefined, { invoiceId: 'x', amount: 5, discount: 0, kind: 'recovery' }, '2026-03-01'))
      .toEqual([{ invoiceId: 'x', amount: 5, dueDate: '2026-03-01', kind: 'recovery' }]));
});
