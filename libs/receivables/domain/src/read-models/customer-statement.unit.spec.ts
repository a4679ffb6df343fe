import { AccountEvent } from '../account/account.events';
import { customerStatement } from './customer-statement';

const fact = (type: string, data: Record<string, unknown>) => ({ type, schemaVersion: 1, data }) as unknown as AccountEvent;

describe('customer statement', () => {
  const history = [
    fact('InvoiceIssued', { currency: 'CNY', issueDate: '2026-01-01', number: 'INV-1', total: 10_000 }),
    fact('WriteOffApproved', { currency: 'CNY', approvedOn: '2026-05-01', requestId: 'w1', amount: 10_000 }),
    fact('PaymentReceived', { currency: 'CNY', receivedOn: '2026-06-01', paymentId: 'p1', unapplied: 0,
      allocations: [{ invoiceId: 'i1', amount: 3_000, discount: 0, kind: 'recovery' }] }),
  ];

  it('shows recovered money in full, with the reinstated write-off beside it, leaving the balance unchanged', () => {
    const [cny] = customerStatement(history, '2026-06-01', '2026-06-30');
    expect(cny.openingBalance).toBe(0);
    expect(cny.lines).toEqual([
      { date: '2026-06-01', type: 'payment', reference: 'p1', amount: -3_000 },
      { date: '2026-06-01', type: 'write_off_recovered', reference: 'p1', amount: 3_000 },
    ]);
    expect(cny.closingBalance).toBe(0);
  });

  it('opens with what was owed before the period and closes with what is owed at its end', () => {
    const [cny] = customerStatement(history.slice(0, 1), '2026-02-01', '2026-02-28');
    expect(cny).toEqual({ currency: 'CNY', openingBalance: 10_000, lines: [], closingBalance: 10_000, creditBalance: 0, openBalance: 10_000 });
  });
});
