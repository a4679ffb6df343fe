import { EventEnvelope } from '@crm/contracts';
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
    const hold = {
      id: 'e1', type: 'CreditHoldPlaced', schemaVersion: 2, source: 'crm.credit', subject: 'c', streamId: 'credit-c', streamVersion: 1,
      time: '2026-12-01T20:36:49.694Z', recordedAt: '2026-12-01T20:36:50.850Z',
      data: { customerId: 'c', causes: [{ code: 'dunning-level' }] }, metadata: { actor: { id: 'policy', roles: [] }, correlationId: 'x', causationId: 'y' },
    } as unknown as EventEnvelope;
    const doc = evolveCreditPosition(undefined, hold, 'c');
    expect(creditSideAsOf(doc, '2026-12-01T20:36:50.000Z').onHold).toBe(false);
    expect(creditSideAsOf(doc, '2026-12-01T20:36:50.850Z').onHold).toBe(true);
    const payment = { ...hold, type: 'PaymentReceived', data: { customerId: 'c', currency: 'CNY', amount: 1, allocations: [], unapplied: 1 } } as unknown as EventEnvelope;
    expect(evolveExposureChange(undefined, payment).at).toBe('2026-12-01T20:36:50.850Z');
  });
});
