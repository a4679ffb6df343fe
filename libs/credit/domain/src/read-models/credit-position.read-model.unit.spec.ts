import { creditPositionView } from './credit-position.read-model';

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
});
