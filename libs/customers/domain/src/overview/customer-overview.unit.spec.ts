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
    envelope('PaymentReceived', { allocations: [{ invoiceId: 'i-2', amount: 3_000, discount: 0 }] }, '2026-11-05T00:00:00.000Z'),
    envelope('InvoiceBecameOverdue', { invoiceId: 'i-1' }, '2026-11-20T00:00:00.000Z'),
    envelope('DunningLevelRaised', { invoiceId: 'i-1', level: 2 }, '2026-11-21T00:00:00.000Z'),
    envelope('CreditHoldPlaced', { reason: 'dunning' }, '2026-11-22T00:00:00.000Z'),
  ];
  const doc = events.reduce<OverviewFacts | undefined>((d, e) => evolveOverviewFacts(d, e, 'c-1') ?? undefined, undefined)!;

  it('says a service sent nothing rather than showing zeros', () =>
    expect(overviewParts(undefined)).toEqual({ credit: { status: 'no-events', lastEventAt: null }, receivables: { status: 'no-events', lastEventAt: null } }));

  it('fills each part from its service with the time of its last event', () =>
    expect(overviewParts(doc)).toEqual({
      credit: { status: 'ok', lastEventAt: '2026-11-22T00:00:00.000Z', grade: 'B', limit: { amount: 100_000, currency: 'CNY' }, onHold: true },
      receivables: { status: 'ok', lastEventAt: '2026-11-21T00:00:00.000Z', open: [{ currency: 'CNY', amount: 5_000 }], overdue: [{ currency: 'CNY', amount: 5_000 }], openInvoices: 1, worstDunningLevel: 2 },
    }));

  it('answers as recorded at an earlier instant', () =>
    expect(overviewParts(doc, '2026-11-04T12:00:00.000Z')).toMatchObject({
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
    expect(overviewParts(withLate, '2026-12-01T00:00:00.000Z').credit).toMatchObject({ onHold: true });
    expect(overviewParts(withLate, '2026-12-06T00:00:00.000Z').credit).toMatchObject({ onHold: false, lastEventAt: '2026-11-23T00:00:00.000Z' });
  });
});
