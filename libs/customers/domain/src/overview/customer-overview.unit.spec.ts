import { EventEnvelope } from '@crm/contracts';
import { evolveOverviewFacts, OverviewFacts, overviewKey, overviewParts } from './customer-overview';

let n = 0;
const envelope = (type: string, data: object, time: string): EventEnvelope => ({
  id: `e-${++n}`, type, schemaVersion: 1, source: 'x', subject: 'c-1', time, streamId: 's', streamVersion: n, data: { customerId: 'c-1', ...data },
  metadata: { actor: { id: 'u', roles: [] }, correlationId: 'x', causationId: 'y' },
} as EventEnvelope);

describe('customer 360 parts', () => {
  const events = [
    envelope('CreditAssessed', { grade: 'B', score: 70 }, '2026-11-01T00:00:00.000Z'),
    envelope('CreditLimitApproved', { limit: 100_000, currency: 'CNY' }, '2026-11-02T00:00:00.000Z'),
    envelope('InvoiceIssued', { invoiceId: 'i-1', total: 5_000, currency: 'CNY' }, '2026-11-03T00:00:00.000Z'),
    envelope('InvoiceIssued', { invoiceId: 'i-2', total: 3_000, currency: 'CNY' }, '2026-11-04T00:00:00.000Z'),
    envelope('PaymentReceived', { paymentId: 'p-1', amount: 3_500, currency: 'CNY', receivedOn: '2026-11-05', method: 'bank_transfer', reference: 'R',
      allocations: [{ invoiceId: 'i-2', amount: 3_000, discount: 0, kind: 'payment' }], unapplied: 500 }, '2026-11-05T00:00:00.000Z'),
    envelope('InvoiceBecameOverdue', { invoiceId: 'i-1' }, '2026-11-20T00:00:00.000Z'),
    envelope('DunningLevelRaised', { invoiceId: 'i-1', level: 2 }, '2026-11-21T00:00:00.000Z'),
    envelope('CreditHoldPlaced', { reason: 'dunning' }, '2026-11-22T00:00:00.000Z'),
  ];
  const doc = events.reduce<OverviewFacts | undefined>((d, e) => evolveOverviewFacts(d, e, 'c-1') ?? undefined, undefined)!;

  const now = (at: string, asOf?: string) => ({ at, asOf, staleAfterMs: 7 * 86_400_000 });

  it('says a service sent nothing rather than showing zeros', () =>
    expect(overviewParts(undefined, now('2026-11-30T00:00:00.000Z'))).toEqual({
      credit: { status: 'no-events', lastEventAt: null }, receivables: { status: 'no-events', lastEventAt: null }, engagement: { status: 'no-events', lastEventAt: null },
    }));

  it('fills each part from its service with the time of its last event', () =>
    expect(overviewParts(doc, now('2026-11-23T00:00:00.000Z'))).toEqual({
      // Exposure as credit counts it: 5,000 + 3,000 invoiced − 3,000 settled − 500 unapplied cash.
      credit: { status: 'ok', lastEventAt: '2026-11-22T00:00:00.000Z', stale: false, grade: 'B', limit: { amount: 100_000, currency: 'CNY' }, onHold: true,
        exposure: [{ currency: 'CNY', amount: 4_500 }] },
      receivables: { status: 'ok', lastEventAt: '2026-11-21T00:00:00.000Z', stale: false, open: [{ currency: 'CNY', amount: 5_000 }], overdue: [{ currency: 'CNY', amount: 5_000 }], openInvoices: 1, worstDunningLevel: 2 },
      engagement: { status: 'no-events', lastEventAt: null },
    }));

  it('follows the credit balance: money applied later or auto-applied settles invoices; a refund and a credit note above the outstanding move exposure', () => {
    const later = [
      envelope('PaymentAllocated', { paymentId: 'p-1', currency: 'CNY', allocatedOn: '2026-11-23', unapplied: 200,
        allocations: [{ invoiceId: 'i-1', amount: 300, discount: 0, kind: 'payment' }] }, '2026-11-23T00:00:00.000Z'),
      envelope('CreditNoteIssued', { creditNoteId: 'n-1', invoiceId: 'i-1', currency: 'CNY', amount: 4_800, reason: 'r', issuedOn: '2026-11-24', toCreditBalance: 100 },
        '2026-11-24T00:00:00.000Z'),
      envelope('CreditBalanceRefunded', { refundId: 'r-1', currency: 'CNY', amount: 50, reference: 'R', refundedOn: '2026-11-25', sources: [] }, '2026-11-25T00:00:00.000Z'),
      envelope('InvoiceIssued', { invoiceId: 'i-3', total: 1_000, currency: 'CNY' }, '2026-11-26T00:00:00.000Z'),
      envelope('CreditBalanceApplied', { currency: 'CNY', appliedOn: '2026-11-26', policyVersion: 1, trigger: 't',
        applications: [{ invoiceId: 'i-3', amount: 250, source: { kind: 'payment', id: 'p-1', amount: 250 } }] }, '2026-11-26T00:00:00.000Z'),
    ];
    const after = later.reduce<OverviewFacts | undefined>((d, e) => evolveOverviewFacts(d, e, 'c-1') ?? undefined, structuredClone(doc))!;
    const parts = overviewParts(after, now('2026-11-27T00:00:00.000Z'));
    // i-1: 5,000 − 300 − 4,700 = 0; i-3: 1,000 − 250 = 750. Exposure: 4,500 − 4,800 + 50 + 1,000 = 750 (balance 0 left).
    expect(parts.receivables).toMatchObject({ open: [{ currency: 'CNY', amount: 750 }], openInvoices: 1 });
    expect(parts.credit).toMatchObject({ exposure: [{ currency: 'CNY', amount: 750 }] });
  });

  it('calls a part stale once its last event is older than the threshold before the instant read at', () => {
    const parts = overviewParts(doc, now('2026-11-29T00:00:00.000Z'));
    expect([parts.credit, parts.receivables].map((p) => p.status === 'ok' && p.stale)).toEqual([false, true]);
    expect(overviewParts(doc, now('2026-11-22T00:00:00.000Z', '2026-11-22T00:00:00.000Z')).receivables).toMatchObject({ stale: false });
  });

  it('answers as recorded at an earlier instant', () =>
    expect(overviewParts(doc, now('2026-11-04T12:00:00.000Z', '2026-11-04T12:00:00.000Z'))).toMatchObject({
      credit: { lastEventAt: '2026-11-02T00:00:00.000Z', onHold: false },
      receivables: { open: [{ currency: 'CNY', amount: 8_000 }], overdue: [], openInvoices: 2, worstDunningLevel: 0 },
    }));

  it('keeps a redelivered event once and ignores other events', () => {
    expect(evolveOverviewFacts(doc, events[2], 'c-1')!.facts).toHaveLength(events.length);
    expect(overviewKey(envelope('SomethingElse', {}, '2026-11-01T00:00:00.000Z'))).toBeUndefined();
  });

  it('keeps facts in time order whatever order they arrive in', () => {
    const reversed = [...events].reverse().reduce<OverviewFacts | undefined>((d, e) => evolveOverviewFacts(d, e, 'c-1') ?? undefined, undefined)!;
    expect(reversed).toEqual(doc);
  });

  it('answers as of an instant by when the events were recorded, not their business time', () => {
    const late = { ...envelope('CreditHoldReleased', { reason: 'x' }, '2026-11-23T00:00:00.000Z'), recordedAt: '2026-12-05T00:00:00.000Z' };
    const withLate = evolveOverviewFacts(structuredClone(doc), late, 'c-1')!;
    expect(overviewParts(withLate, now('2026-12-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z')).credit).toMatchObject({ onHold: true });
    expect(overviewParts(withLate, now('2026-12-06T00:00:00.000Z', '2026-12-06T00:00:00.000Z')).credit).toMatchObject({ onHold: false, lastEventAt: '2026-11-23T00:00:00.000Z' });
  });

  it('shows engagement: loyalty tier and balance, churn risk, the latest interaction by when it happened, open complaints', () => {
    const engagement = [
      envelope('LoyaltyPointsEarned', { balance: 120 }, '2026-11-05T00:00:00.000Z'),
      envelope('LoyaltyTierChanged', { tier: 'Silver' }, '2026-11-05T00:00:01.000Z'),
      envelope('LoyaltyPointsRedeemed', { balance: 20 }, '2026-11-06T00:00:00.000Z'),
      envelope('ChurnRiskFlagged', { score: 72 }, '2026-11-07T00:00:00.000Z'),
      envelope('ChurnRiskScored', { score: 80 }, '2026-11-08T00:00:00.000Z'),
      envelope('InteractionRecorded', { interactionId: 'i-1', occurredAt: '2026-11-09T10:00:00.000Z', channel: 'phone' }, '2026-11-09T10:05:00.000Z'),
      // Recorded later, happened earlier: not the last interaction.
      envelope('InteractionRecorded', { interactionId: 'i-2', occurredAt: '2026-11-01T10:00:00.000Z', channel: 'email' }, '2026-11-10T00:00:00.000Z'),
      envelope('ComplaintRaised', { complaintId: 'k-1', description: 'late delivery' }, '2026-11-10T01:00:00.000Z'),
      envelope('ComplaintRaised', { complaintId: 'k-2' }, '2026-11-10T02:00:00.000Z'),
      envelope('ComplaintResolved', { complaintId: 'k-1' }, '2026-11-11T00:00:00.000Z'),
    ];
    const withEngagement = engagement.reduce((d, e) => evolveOverviewFacts(d, e, 'c-1')!, structuredClone(doc));
    expect(JSON.stringify(withEngagement)).not.toContain('late delivery');
    expect(overviewParts(withEngagement, now('2026-11-12T00:00:00.000Z')).engagement).toEqual({
      status: 'ok', lastEventAt: '2026-11-11T00:00:00.000Z', stale: false, loyalty: { tier: 'Silver', points: 20 },
      churnRisk: { score: 80, flagged: true, lastEventAt: '2026-11-08T00:00:00.000Z' }, lastInteraction: { occurredAt: '2026-11-09T10:00:00.000Z', channel: 'phone' }, openComplaints: 1,
    });
    expect(overviewParts(withEngagement, now('2026-11-06T12:00:00.000Z', '2026-11-06T12:00:00.000Z')).engagement)
      .toMatchObject({ loyalty: { tier: 'Silver', points: 20 }, churnRisk: null, lastInteraction: null, openComplaints: 0 });
  });

  it('counts a complaint resolved at the same instant it was raised as closed, whichever sorts first', () => {
    const at = '2026-11-10T00:00:00.000Z';
    const raised = { ...envelope('ComplaintRaised', { complaintId: 'k-9' }, at), id: 'z-raised' };
    const resolved = { ...envelope('ComplaintResolved', { complaintId: 'k-9' }, at), id: 'a-resolved' };
    const folded = [raised, resolved].reduce<OverviewFacts | undefined>((d, e) => evolveOverviewFacts(d, e, 'c-1') ?? undefined, undefined);
    expect(overviewParts(folded, now(at)).engagement).toMatchObject({ openComplaints: 0 });
  });

  it('settles an invoice by a payment of the same instant, whichever sorts first', () => {
    const at = '2026-11-03T00:00:00.000Z';
    const invoice = envelope('InvoiceIssued', { invoiceId: 'i-9', total: 9_000, currency: 'CNY' }, at);
    const payment = envelope('PaymentReceived', { paymentId: 'p-9', amount: 4_000, currency: 'CNY', receivedOn: '2026-11-03', method: 'bank', reference: 'r',
      allocations: [{ invoiceId: 'i-9', amount: 4_000, discount: 0, kind: 'payment' }], unapplied: 0 }, at);
    for (const order of [[invoice, payment], [payment, invoice]]) {
      // Same instant: the facts sort by event id, so each order is tried with either id first.
      for (const ids of [['a', 'b'], ['b', 'a']]) {
        const events = order.map((e, i) => ({ ...e, id: ids[i] }));
        const facts = events.reduce<OverviewFacts | undefined>((d, e) => evolveOverviewFacts(d, e, 'c-1') ?? undefined, undefined);
        expect(overviewParts(facts, now('2026-11-04T00:00:00.000Z')).receivables).toMatchObject({ open: [{ currency: 'CNY', amount: 5_000 }], openInvoices: 1 });
      }
    }
  });
});
