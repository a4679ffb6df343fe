import { EventEnvelope } from '@crm/contracts';
import { customerRevenueKey, evolveCustomerRevenue } from './customer-revenue.evolve';

const envelope = (type: string, data: object, time = '2026-11-01T00:00:00.000Z'): EventEnvelope => ({
  id: 'e', type, schemaVersion: 1, source: 'crm.receivables', subject: 'c-1', time, streamId: 's', streamVersion: 1, data,
  metadata: { actor: { id: 'u', roles: [] }, correlationId: 'x', causationId: 'y' },
} as EventEnvelope);

describe('customer revenue read model (receivables\' events)', () => {
  const issued = envelope('InvoiceIssued', { invoiceId: 'i-1', customerId: 'c-1', currency: 'CNY', issueDate: '2026-11-01', total: 500 });

  it('keeps invoices, payments and overdue invoices once each, with the time of the last event', () => {
    let doc = evolveCustomerRevenue(undefined, issued, 'c-1')!;
    doc = evolveCustomerRevenue(doc, issued, 'c-1')!;
    doc = evolveCustomerRevenue(doc, envelope('PaymentReceived', { paymentId: 'p-1', customerId: 'c-1', amount: 200, currency: 'CNY', receivedOn: '2026-11-20' }, '2026-11-20T00:00:00.000Z'), 'c-1')!;
    doc = evolveCustomerRevenue(doc, envelope('InvoiceBecameOverdue', { invoiceId: 'i-1', customerId: 'c-1' }, '2026-11-10T00:00:00.000Z'), 'c-1')!;
    expect(doc).toEqual({ customerId: 'c-1', invoices: [{ invoiceId: 'i-1', on: '2026-11-01', amount: 500, currency: 'CNY' }],
      payments: [{ paymentId: 'p-1', on: '2026-11-20', amount: 200, currency: 'CNY' }], overdueInvoices: ['i-1'], lastEventAt: '2026-11-20T00:00:00.000Z' });
  });

  it('is keyed by the customer and ignores other events', () => {
    expect(customerRevenueKey(issued)).toBe('c-1');
    expect(customerRevenueKey(envelope('DunningLevelRaised', { customerId: 'c-1' }))).toBeUndefined();
    expect(evolveCustomerRevenue(undefined, envelope('DunningLevelRaised', { customerId: 'c-1' }), 'c-1')).toBeNull();
  });
});
