import { PublishedEventMap, TypedEnvelope } from '@crm/contracts';
import { creditPositionView, creditSideAsOf, evolveCreditPosition, evolveExposureChange } from './credit-position.read-model';

const side = (amount: number) => ({
  score: 70, grade: 'B' as const, factors: [], assessedOn: '2026-03-01', limit: { amount, currency: 'CNY' }, paymentTermsDays: 30,
  onHold: false, holdCauses: [], nextReviewOn: null, reviewDue: false, version: 3,
});

describe('the credit position as the API answers it', () => {
  it('floors available at 0 as it floors exposure: over the limit, nothing is available', () => {
    expect(creditPositionView('c', side(50_000), { CNY: 95_000 })).toMatchObject({ exposure: 95_000, available: 0 });
    expect(creditPositionView('c', side(50_000), { CNY: -300 })).toMatchObject({ exposure: 0, available: 50_000 });
    expect(creditPositionView('c', side(50_000), { CNY: 20_000 })).toMatchObject({ exposure: 20_000, available: 30_000 });
  });

  it('answers as of an instant by when events were recorded, not by their business time', () => {
    const envelope = { source: 'test', subject: 'c', streamVersion: 1, time: '2026-12-01T20:36:49.694Z', recordedAt: '2026-12-01T20:36:50.850Z',
      metadata: { actor: { id: 'policy', roles: [] }, correlationId: 'x', causationId: 'y' } };
    const hold: TypedEnvelope<PublishedEventMap, 'CreditHoldPlaced'> = { ...envelope, id: 'e1', type: 'CreditHoldPlaced', schemaVersion: 2, streamId: 'credit-c',
      data: { customerId: 'c', reason: 'dunning level 3', placedOn: '2026-12-01', causes: [{ code: 'dunning-level', detail: 'level 3', eventIds: [] }],
        facts: [], policyVersion: 0, placedBy: 'policy:credit-hold', automatic: true, inputs: null } };
    const doc = evolveCreditPosition(undefined, hold, 'c');
    expect(creditSideAsOf(doc, '2026-12-01T20:36:50.000Z').onHold).toBe(false);
    expect(creditSideAsOf(doc, '2026-12-01T20:36:50.850Z').onHold).toBe(true);
    const payment: TypedEnvelope<PublishedEventMap, 'PaymentReceived'> = { ...envelope, id: 'e2', type: 'PaymentReceived', schemaVersion: 1, streamId: 'account-c',
      data: { paymentId: 'p', customerId: 'c', amount: 1, currency: 'CNY', receivedOn: '2026-12-01', method: 'bank', reference: 'r', allocations: [], unapplied: 1 } };
    expect(evolveExposureChange(undefined, payment).at).toBe('2026-12-01T20:36:50.850Z');
  });
});
