import { EventEnvelope, exposureChange } from '@crm/contracts';
import { applyReceivablesEvent, holdFactsOf, initialFacts, paymentHistoryOf } from './receivables-facts';

const C = '00000000-0000-4000-8000-000000000001';
let version = 0;
const ev = (type: string, data: Record<string, unknown>): EventEnvelope => ({
  id: `${type}-${++version}`, type, schemaVersion: 1, source: 'crm.receivables', subject: C, time: '2026-01-01T00:00:00.000Z',
  streamId: `account-${C}`, streamVersion: version, data: { customerId: C, ...data }, metadata: { actor: { id: 'u', roles: [] }, correlationId: 'c', causationId: 'c' },
});
const issued = (invoiceId: string, total: number, issueDate: string, dueDate: string) =>
  ev('InvoiceIssued', { invoiceId, currency: 'CNY', issueDate, total, installments: [{ dueDate, amount: total }] });
const paid = (invoiceId: string, amount: number, receivedOn: string, unapplied = 0) =>
  ev('PaymentReceived', { paymentId: `p-${version}`, currency: 'CNY', amount: amount + unapplied, receivedOn, allocations: [{ invoiceId, amount, discount: 0, kind: 'payment' }], unapplied });

describe('credit\'s copy of receivables\' facts', () => {
  it('keeps exposure, the oldest unpaid due date and the worst dunning level, with the events behind them', () => {
    version = 0;
    const events = [issued('i1', 1_000, '2026-01-01', '2026-01-31'), issued('i2', 500, '2026-01-05', '2026-02-04'), paid('i1', 400, '2026-02-01', 0)];
    const dunning = ev('DunningLevelRaised', { invoiceId: 'i1', businessDate: '2026-03-02', level: 3, previousLevel: 0, daysOverdue: 30, action: 'x' });
    const facts = [...events, dunning].reduce(applyReceivablesEvent, initialFacts(C));
    expect(holdFactsOf(facts, ['t'])).toEqual({
      customerId: C, version: 4, businessDate: '2026-03-02', exposure: [{ currency: 'CNY', amount: 1_100 }],
      oldestUnpaid: { invoiceId: 'i1', dueDate: '2026-01-31', eventIds: ['InvoiceIssued-1'] }, worstDunning: { invoiceId: 'i1', level: 3, eventId: dunning.id }, triggeredBy: ['t'],
      exposureEventIds: ['InvoiceIssued-1', 'InvoiceIssued-2'],
    });
  });

  it('nets unapplied credit, forgets settled invoices, and ignores an event it has applied', () => {
    version = 0;
    const events = [issued('i1', 1_000, '2026-01-01', '2026-01-31'), paid('i1', 1_000, '2026-02-10', 300)];
    const facts = events.reduce(applyReceivablesEvent, initialFacts(C));
    applyReceivablesEvent(facts, events[1]);
    expect(holdFactsOf(facts, [])).toMatchObject({ exposure: [{ currency: 'CNY', amount: 0 }], oldestUnpaid: null, worstDunning: null });
    expect(facts.unapplied).toEqual({ CNY: 300 });
    expect(events.flatMap(exposureChange).reduce((n, d) => n + d.amount, 0)).toBe(-300);
  });

  it('follows the credit balance: later allocation, auto-applied credit, credit notes above the outstanding, refunds', () => {
    version = 0;
    const events = [
      issued('i1', 1_000, '2026-01-01', '2026-01-31'), issued('i2', 600, '2026-01-02', '2026-02-01'),
      ev('PaymentReceived', { paymentId: 'p', currency: 'CNY', amount: 900, receivedOn: '2026-01-10', allocations: [], unapplied: 900 }),
      ev('PaymentAllocated', { paymentId: 'p', currency: 'CNY', allocatedOn: '2026-01-11', unapplied: 300,
        allocations: [{ invoiceId: 'i1', amount: 600, discount: 0, kind: 'payment' }] }),
      ev('CreditNoteIssued', { creditNoteId: 'n', invoiceId: 'i1', currency: 'CNY', amount: 500, reason: 'r', issuedOn: '2026-01-12', toCreditBalance: 100 }),
      ev('CreditBalanceApplied', { currency: 'CNY', appliedOn: '2026-01-13', policyVersion: 1, trigger: 't',
        applications: [{ invoiceId: 'i2', amount: 350, source: { kind: 'payment', id: 'p', amount: 350 } }] }),
      ev('CreditBalanceRefunded', { refundId: 'r', currency: 'CNY', amount: 50, reference: 'x', refundedOn: '2026-01-14', sources: [{ kind: 'payment', id: 'p', amount: 50 }] }),
    ];
    const facts = events.reduce(applyReceivablesEvent, initialFacts(C));
    // i1: 1,000 − 600 − 400 = 0; i2: 600 − 350 = 250; balance 900 − 600 + 100 − 350 − 50 = 0.
    expect([facts.invoices.i1.settled, facts.invoices.i2.settled, facts.unapplied.CNY]).toEqual([1_000, 350, 0]);
    expect(holdFactsOf(facts, []).exposure).toEqual([{ currency: 'CNY', amount: 250 }]);
    // Credit's position sums exposureChange: the same 250.
    expect(events.flatMap(exposureChange).reduce((n, d) => n + d.amount, 0)).toBe(250);
    expect(facts.businessDate).toBe('2026-01-14');
  });

  it('derives payment history: on time, days beyond terms, worst days overdue, write-offs', () => {
    version = 0;
    const events = [
      issued('i1', 1_000, '2026-01-01', '2026-01-31'), paid('i1', 1_000, '2026-01-20'),
      issued('i2', 1_000, '2026-01-01', '2026-01-31'), paid('i2', 1_000, '2026-02-20'),
      issued('i3', 1_000, '2026-01-01', '2026-01-31'),
      ev('WriteOffApproved', { requestId: 'w', invoiceId: 'i3', currency: 'CNY', amount: 1_000, approvedBy: 'm', approvedOn: '2026-04-01' }),
      issued('i4', 1_000, '2026-03-01', '2026-03-31'),
    ];
    expect(paymentHistoryOf(events.reduce(applyReceivablesEvent, initialFacts(C)))).toEqual({
      factsVersion: 7, asOfDate: '2026-04-01', invoices: 4, settledInvoices: 2, onTimeInvoices: 1, onTimeRatio: 0.5,
      averageDaysBeyondTerms: 10, worstDaysOverdue: 60, writeOffs: 1,
    });
  });

  it('keeps the lateness a written-off invoice showed: 181 days overdue when written off stays 181', () => {
    version = 0;
    const events = [
      issued('i1', 1_000, '2026-01-01', '2026-01-31'),
      ev('InvoiceBecameOverdue', { invoiceId: 'i1', currency: 'CNY', businessDate: '2026-02-01', dueDate: '2026-01-31', daysOverdue: 1, outstanding: 1_000 }),
      ev('WriteOffApproved', { requestId: 'w', invoiceId: 'i1', currency: 'CNY', amount: 1_000, approvedBy: 'm', approvedOn: '2026-07-31' }),
    ];
    const facts = events.reduce(applyReceivablesEvent, initialFacts(C));
    expect(paymentHistoryOf(facts)).toMatchObject({ worstDaysOverdue: 181, writeOffs: 1 });
    // Time passing after the write-off adds nothing: it is no longer owed.
    expect(paymentHistoryOf(facts, '2026-12-31')).toMatchObject({ worstDaysOverdue: 181, asOfDate: '2026-12-31' });
  });

  it('counts days overdue to the latest business date credit knows (its closed day), as the hold rule does', () => {
    version = 0;
    const facts = [issued('i1', 1_000, '2026-01-01', '2026-03-11')].reduce(applyReceivablesEvent, initialFacts(C));
    expect(paymentHistoryOf(facts)).toMatchObject({ asOfDate: '2026-01-01', worstDaysOverdue: 0 });
    expect(paymentHistoryOf(facts, '2026-11-06')).toMatchObject({ asOfDate: '2026-11-06', worstDaysOverdue: 240 });
    expect(paymentHistoryOf(facts, '2025-12-01')).toMatchObject({ asOfDate: '2026-01-01' });
  });
});
