import { envelopeOf } from '@crm/testing';
import { compareTimelineKeys, evolveTimelineEntry, serviceOfSource, timelineEntryOf, timelineKey, timelineSortKey } from './customer-timeline';

const customerId = '2b1f6a3e-6f41-4a53-9a43-0c6c8a7e1d10';

describe('the cross-service timeline entry', () => {
  it('keeps events whose subject is a customer, from one of the four services, keyed by event id', () => {
    const payment = envelopeOf({ type: 'PaymentReceived', data: { customerId } }, { subject: customerId, source: 'crm.receivables' });
    expect(timelineKey(payment)).toBe(payment.id);
    expect(timelineKey(envelopeOf({ type: 'CreditPolicyChanged', data: {} }, { subject: 'credit-policy', source: 'crm.credit' }))).toBeUndefined();
    expect(timelineKey(envelopeOf({ type: 'PaymentReceived', data: { customerId } }, { subject: customerId, source: 'elsewhere' }))).toBeUndefined();
    expect(serviceOfSource('crm.engagement')).toBe('engagement');
    expect(serviceOfSource('crm.billing')).toBeUndefined();
  });

  it('lifts service, actor, correlation and causation, and writes the recorded instant one way', () => {
    const event = envelopeOf({ type: 'LoyaltyPointsEarned', data: { customerId, points: 5 } }, {
      subject: customerId, source: 'crm.engagement', recordedAt: '2026-03-05T08:00:00Z',
      metadata: { actor: { id: 'policy:loyalty', roles: [] }, correlationId: 'corr-1', causationId: 'event-1' },
    });
    expect(timelineEntryOf(event)).toMatchObject({
      id: event.id, service: 'engagement', type: 'LoyaltyPointsEarned', recordedAt: '2026-03-05T08:00:00.000Z',
      actor: { id: 'policy:loyalty', roles: [] }, correlationId: 'corr-1', causationId: 'event-1', data: { points: 5 },
    });
  });

  it('keeps the first copy of a redelivered event', () => {
    const event = envelopeOf({ type: 'InvoiceIssued', data: { customerId } }, { subject: customerId, source: 'crm.receivables' });
    const first = evolveTimelineEntry(undefined, event);
    expect(evolveTimelineEntry(first, { ...event, data: { changed: true } })).toBe(first);
  });

  it('orders by recorded time, then service, stream version and id', () => {
    const at = '2026-03-05T08:00:00.000Z';
    const keys = [
      timelineSortKey({ recordedAt: at, service: 'receivables', streamVersion: 2, id: 'b' }),
      timelineSortKey({ recordedAt: at, service: 'credit', streamVersion: 9, id: 'a' }),
      timelineSortKey({ recordedAt: '2026-03-05T07:59:59.999Z', service: 'receivables', streamVersion: 3, id: 'c' }),
      timelineSortKey({ recordedAt: at, service: 'receivables', streamVersion: 2, id: 'a' }),
    ];
    expect([...keys].sort(compareTimelineKeys).map((k) => k[3])).toEqual(['c', 'a', 'a', 'b']);
    expect([...keys].sort(compareTimelineKeys).map((k) => k[1])).toEqual(['receivables', 'credit', 'receivables', 'receivables']);
  });
});
