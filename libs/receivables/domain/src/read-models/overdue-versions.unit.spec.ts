import { EventEnvelope } from '@crm/contracts';
import { envelopeOf } from '@crm/testing';
import { evolveReceivableInvoice, invoiceAsOf, ReceivableInvoiceDoc } from './receivable-invoice.read-model';
import { overdueVersions, versionAt } from './overdue-versions';

const INVOICE = '00000000-0000-4000-8000-00000000000a';
const envelope = (type: string, data: Record<string, unknown>) => envelopeOf({ type, data }, { id: type, subject: 'c', time: '2026-01-01T00:00:00.000Z' });
const apply = (events: EventEnvelope[]) =>
  events.reduce<ReceivableInvoiceDoc | undefined>((doc, e) => evolveReceivableInvoice(doc, e, INVOICE) ?? undefined, undefined)!;
const issued = envelope('InvoiceIssued', { invoiceId: INVOICE, number: 'INV-1', customerId: 'c', currency: 'CNY', issueDate: '2026-01-01',
  total: 10_000, installments: [{ dueDate: '2026-01-31', amount: 6_000 }, { dueDate: '2026-02-28', amount: 4_000 }] });
const pay = (amount: number, receivedOn: string) => envelope('PaymentReceived', { receivedOn, allocations: [{ invoiceId: INVOICE, amount, discount: 0, kind: 'payment' }] });

describe('overdue versions of an invoice', () => {
  const doc = apply([issued, pay(6_000, '2026-02-05'),
    envelope('DunningLevelRaised', { businessDate: '2026-02-01', level: 1 }),
    envelope('InvoiceDisputed', { openedOn: '2026-03-02' }), envelope('InvoiceDisputeResolved', { resolvedOn: '2026-03-09' }),
    pay(4_000, '2026-03-20')]);
  const versions = overdueVersions(doc);

  it('agrees with the invoice as of every date from before its issue to after it is paid', () => {
    for (let day = Date.parse('2025-12-25'); day <= Date.parse('2026-04-05'); day += 86_400_000) {
      const date = new Date(day).toISOString().slice(0, 10);
      const view = invoiceAsOf(doc, date);
      const version = versionAt(versions, date);
      const open = view !== null && view.outstanding > 0;
      expect([date, version && { outstanding: version.outstanding, dueDate: version.dueDate, dunningLevel: version.dunningLevel, disputed: version.disputed }])
        .toEqual([date, open ? { outstanding: view.outstanding, dueDate: view.dueDate, dunningLevel: view.dunningLevel, disputed: view.disputed } : undefined]);
    }
  });

  it('has one version per stretch of unchanged fields, none once paid', () => {
    expect(versions.map((v) => [v.validFrom, v.validTo, v.outstanding, v.dueDate, v.dunningLevel, v.disputed])).toEqual([
      ['2026-01-01', '2026-02-01', 10_000, '2026-01-31', 0, false],
      ['2026-02-01', '2026-02-05', 10_000, '2026-01-31', 1, false],
      ['2026-02-05', '2026-03-02', 4_000, '2026-02-28', 1, false],
      ['2026-03-02', '2026-03-09', 4_000, '2026-02-28', 1, true],
      ['2026-03-09', '2026-03-20', 4_000, '2026-02-28', 1, false],
    ]);
  });
});
