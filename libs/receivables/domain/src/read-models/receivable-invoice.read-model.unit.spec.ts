import { EventEnvelope } from '@crm/contracts';
import { evolveReceivableInvoice, invoiceAsOf, ReceivableInvoiceDoc } from './receivable-invoice.read-model';

const INVOICE = '00000000-0000-4000-8000-00000000000a';
let sequence = 0;
const envelope = (type: string, data: Record<string, unknown>): EventEnvelope => ({
  id: `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`, type, data, subject: 'c', time: '2026-11-24T00:00:00.000Z',
} as unknown as EventEnvelope);
const allocation = { invoiceId: INVOICE, amount: 10_000, discount: 0, kind: 'payment' };
const apply = (events: EventEnvelope[]) =>
  events.reduce<ReceivableInvoiceDoc | undefined>((doc, e) => evolveReceivableInvoice(doc, e, INVOICE) ?? undefined, undefined)!;

describe('receivable invoice as of a business date', () => {
  const issued = envelope('InvoiceIssued', { invoiceId: INVOICE, number: 'INV-1', customerId: 'c', currency: 'CHF', issueDate: '2026-01-01',
    total: 10_000, installments: [{ dueDate: '2026-01-31', amount: 10_000 }] });

  it('never shows more settled than the total when a back-dated payment follows a later-dated reversal', () => {
    // Paid on 01-10, that payment reversed on 11-24 (recorded today), paid again, dated 01-12.
    const doc = apply([issued,
      envelope('PaymentReceived', { receivedOn: '2026-01-10', allocations: [allocation] }),
      envelope('PaymentReversed', { reversedOn: '2026-11-24', allocations: [allocation] }),
      envelope('PaymentReceived', { receivedOn: '2026-01-12', allocations: [allocation] })]);
    expect(invoiceAsOf(doc, '2026-01-31')?.outstanding).toBe(0);
    expect(invoiceAsOf(doc, '2026-01-11')?.outstanding).toBe(0);
    expect(invoiceAsOf(doc, '2026-01-05')?.outstanding).toBe(10_000);
    expect(invoiceAsOf(doc, '2026-11-30')?.outstanding).toBe(0);
  });

  it('is absent before its issue date and overdue after its due date', () => {
    const doc = apply([issued]);
    expect(invoiceAsOf(doc, '2025-12-31')).toBeNull();
    expect(invoiceAsOf(doc, '2026-02-10')).toMatchObject({ outstanding: 10_000, daysOverdue: 10, dueDate: '2026-01-31' });
  });
});
