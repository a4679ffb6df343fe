import { deciderSpec } from '@crm/testing';
import { AllocationPart, EarnPoints, loyaltyAccountDecider } from './loyalty-account.decider';
import { LoyaltyAccountEvent, loyaltyEvent } from './loyalty-account.events';
import { evolveLoyaltyAccount, initialLoyaltyAccount, nextLoyaltyDue, trailing12mPaid } from './loyalty-account.state';
import { DEFAULT_LOYALTY_RULES, LoyaltyPolicy } from './loyalty-policy';

const spec = deciderSpec(loyaltyAccountDecider);
const C = '00000000-0000-4000-8000-000000000001';
const INV = '00000000-0000-4000-8000-0000000000a1';
const V1: LoyaltyPolicy = { version: 1, rules: DEFAULT_LOYALTY_RULES };
const cny = (units: number) => units * 100;
const part = (units: number, dueDate: string, kind: AllocationPart['kind'] = 'payment'): AllocationPart => ({ invoiceId: INV, amount: cny(units), dueDate, kind });
const earn = (paymentId: string, paidOn: string, parts: AllocationPart[], policy = V1): EarnPoints =>
  ({ type: 'EarnPoints', data: { customerId: C, paymentId, currency: 'CNY', paidOn, parts }, context: { policy } });
const close = (businessDate: string, policy = V1) => ({ type: 'CloseLoyaltyDay' as const, data: { customerId: C, businessDate }, context: { policy } });
const replay = (commands: Parameters<typeof loyaltyAccountDecider.decide>[0][]) => {
  const history: LoyaltyAccountEvent[] = [];
  const state = initialLoyaltyAccount();
  for (const c of commands) {
    const events = loyaltyAccountDecider.decide(c, state);
    events.forEach((e) => evolveLoyaltyAccount(state, e));
    history.push(...events);
  }
  return { history, state };
};
const earned = (paymentId: string, paidOn: string, units: number, points: number, rule: 'on-time' | 'late' | 'recovery', balance: number, dueDate = '2026-03-31') =>
  loyaltyEvent('LoyaltyPointsEarned', { customerId: C, paymentId, invoiceId: INV, currency: 'CNY', allocated: cny(units), dueDate, paidOn, rule, points, balance,
    expiresOn: addMonthsFixture(paidOn), policyVersion: 1 });
function addMonthsFixture(date: string) {
  return `${Number(date.slice(0, 4)) + 2}${date.slice(4)}`;
}

describe('points from payments', () => {
  it('earns 1 point per whole unit allocated on or before the due date, expiring 24 months later, citing the policy', () =>
    spec.given([]).when(earn('p-1', '2026-03-31', [{ invoiceId: INV, amount: 123_456, dueDate: '2026-03-31', kind: 'payment' }]))
      .then([loyaltyEvent('LoyaltyPointsEarned', { customerId: C, paymentId: 'p-1', invoiceId: INV, currency: 'CNY', allocated: 123_456, dueDate: '2026-03-31',
        paidOn: '2026-03-31', rule: 'on-time', points: 1_234, balance: 1_234, expiresOn: '2028-03-31', policyVersion: 1 })]));

  it('earns half, rounded down, when late', () =>
    spec.given([]).when(earn('p-1', '2026-04-01', [part(1_001, '2026-03-31')])).then([earned('p-1', '2026-04-01', 1_001, 500, 'late', 500)]));

  it('splits by installment: the on-time part earns fully, the late part half', () =>
    spec.given([]).when(earn('p-1', '2026-04-15', [part(100, '2026-03-31'), part(100, '2026-04-30')])).then((events) =>
      expect(events.map((e) => [e.type, (e.data as any).rule, (e.data as any).points, (e.data as any).balance]))
        .toEqual([['LoyaltyPointsEarned', 'late', 50, 50], ['LoyaltyPointsEarned', 'on-time', 100, 150]])));

  it('earns nothing for a recovery on a written-off invoice (recorded, and it counts as paid)', () =>
    spec.given([]).when(earn('p-1', '2026-04-01', [part(60_000, '2026-01-31', 'recovery')])).then((events) => {
      expect(events[0]).toEqual(earned('p-1', '2026-04-01', 60_000, 0, 'recovery', 0, '2026-01-31'));
      expect(events[1]).toMatchObject({ type: 'LoyaltyTierChanged', data: { tier: 'Silver' } });
    }));

  it('applies the rates of the policy it is given and cites its version', () =>
    spec.given([]).when(earn('p-1', '2026-03-01', [part(1_000, '2026-03-31')], { version: 3, rules: { ...DEFAULT_LOYALTY_RULES, rates: { onTimePercent: 150, latePercent: 50 } } }))
      .then(([e]) => expect(e.data).toMatchObject({ points: 1_500, policyVersion: 3 })));

  it('earns once per payment', () =>
    spec.given([earned('p-1', '2026-03-01', 100, 100, 'on-time', 100)]).when(earn('p-1', '2026-03-01', [part(100, '2026-03-31')])).thenNothingHappened());
});

describe('reversals', () => {
  it('takes back the payment\'s points', () =>
    spec.given([earned('p-1', '2026-03-01', 300, 300, 'on-time', 300), earned('p-2', '2026-03-02', 200, 200, 'on-time', 500)])
      .when({ type: 'ReversePoints', data: { customerId: C, paymentId: 'p-1', currency: 'CNY', reversedOn: '2026-03-10', amount: cny(300) }, context: { policy: V1 } })
      .then([loyaltyEvent('LoyaltyPointsReversed', { customerId: C, paymentId: 'p-1', reversedOn: '2026-03-10', points: 300, shortfall: 0, balance: 200,
        currency: 'CNY', amount: cny(300), paidOn: '2026-03-01' })]));

  it('stops at zero and records the shortfall when the points were already redeemed', () =>
    spec.given([earned('p-1', '2026-03-01', 300, 300, 'on-time', 300),
      loyaltyEvent('LoyaltyPointsRedeemed', { customerId: C, redemptionId: 'r-1', points: 250, reason: 'gift', redeemedBy: 'am', redeemedAt: '2026-03-05T10:00:00.000Z', balance: 50 })])
      .when({ type: 'ReversePoints', data: { customerId: C, paymentId: 'p-1', currency: 'CNY', reversedOn: '2026-03-10', amount: cny(300) }, context: { policy: V1 } })
      .then(([e]) => expect(e.data).toMatchObject({ points: 50, shortfall: 250, balance: 0 })));

  it('starts the downgrade grace on the reversal\'s date when it takes the customer below its tier', () => {
    const { state } = replay([earn('p-1', '2026-03-01', [part(60_000, '2026-03-31')])]);
    expect(state.tier).toBe('Silver');
    const events = loyaltyAccountDecider.decide(
      { type: 'ReversePoints', data: { customerId: C, paymentId: 'p-1', currency: 'CNY', reversedOn: '2026-03-10', amount: cny(60_000) }, context: { policy: V1 } }, state);
    expect(events.map((e) => [e.type, (e.data as { since?: string }).since])).toEqual([['LoyaltyPointsReversed', undefined], ['LoyaltyDowngradePending', '2026-03-10']]);
    expect(events[1].data).toMatchObject({ tier: 'Silver', candidateTier: 'Member', policyVersion: 1 });
  });

  it('takes the reversed amount off the trailing 12 months of the payment\'s day', () => {
    const { state } = replay([earn('p-1', '2026-03-01', [part(60_000, '2026-03-31')]),
      { type: 'ReversePoints', data: { customerId: C, paymentId: 'p-1', currency: 'CNY', reversedOn: '2026-03-10', amount: cny(60_000) }, context: { policy: V1 } }]);
    expect([trailing12mPaid(state, '2026-03-10'), state.balance, state.shortfall]).toEqual([[], 0, 0]);
  });
});

describe('redemptions', () => {
  it('refuses more points than the balance (the balance never goes below zero)', () =>
    spec.given([earned('p-1', '2026-03-01', 100, 100, 'on-time', 100)])
      .when({ type: 'RedeemPoints', data: { customerId: C, redemptionId: 'r-1', points: 101, reason: 'gift', redeemedBy: 'am', redeemedAt: '2026-03-05T10:00:00.000Z' } })
      .thenThrows('insufficient-points', 'points'));

  it('refuses points that are not a positive integer, naming points', () =>
    spec.given([]).when({ type: 'RedeemPoints', data: { customerId: C, redemptionId: 'r-1', points: 1.5, reason: 'gift', redeemedBy: 'am', redeemedAt: '2026-03-05T10:00:00.000Z' } })
      .thenThrows('invalid-points', 'points'));
});

describe('expiry on day close', () => {
  const history = [earned('p-1', '2026-01-10', 100, 100, 'on-time', 100), earned('p-2', '2026-02-10', 40, 40, 'on-time', 140),
    loyaltyEvent('LoyaltyPointsRedeemed', { customerId: C, redemptionId: 'r-1', points: 30, reason: 'gift', redeemedBy: 'am', redeemedAt: '2026-03-01T10:00:00.000Z', balance: 110 })];

  it('expires nothing before the earliest lot is due', () => spec.given(history).when(close('2028-01-09')).thenNothingHappened());

  it('expires the lots due by the date, oldest first, after redemptions took the oldest points', () =>
    spec.given(history).when(close('2028-02-10')).then([
      loyaltyEvent('LoyaltyPointsExpired', { customerId: C, businessDate: '2028-02-10', points: 70, earnedOn: '2026-01-10', balance: 40, policyVersion: 1 }),
      loyaltyEvent('LoyaltyPointsExpired', { customerId: C, businessDate: '2028-02-10', points: 40, earnedOn: '2026-02-10', balance: 0, policyVersion: 1 }),
    ]));

  it('schedules the customer for the day its next points expire', () => {
    const state = history.reduce(evolveLoyaltyAccount, initialLoyaltyAccount());
    expect(nextLoyaltyDue(state)).toBe('2028-01-10');
  });
});

describe('tiers', () => {
  it('upgrades at once when a payment takes the trailing 12 months over a threshold, citing amount, rule and policy', () =>
    spec.given([earned('p-1', '2026-01-10', 40_000, 40_000, 'on-time', 40_000, '2026-01-31')])
      .when(earn('p-2', '2026-03-01', [part(10_000, '2026-03-31')])).then((events) => expect(events[1]).toEqual(loyaltyEvent('LoyaltyTierChanged', {
        customerId: C, tier: 'Silver', previousTier: 'Member', direction: 'upgrade', on: '2026-03-01',
        inputs: { trailing12mPaid: [{ currency: 'CNY', amount: cny(50_000) }], decidingCurrency: 'CNY', threshold: 50_000, rule: expect.stringMatching(/^upgrade/),
          belowSince: null, keepThresholds: { default: 50_000, currencies: [] } },
        policyVersion: 1,
      }))));

  it('counts each currency on its own (best tier wins), unless the policy sets the currency\'s thresholds', () => {
    const usd = (policy: LoyaltyPolicy) => loyaltyAccountDecider.decide({ type: 'EarnPoints', context: { policy },
      data: { customerId: C, paymentId: 'p-9', currency: 'USD', paidOn: '2026-03-01', parts: [{ invoiceId: INV, amount: 1_000_000, dueDate: '2026-03-31', kind: 'payment' }] } },
    [earned('p-1', '2026-02-01', 49_000, 49_000, 'on-time', 49_000)].reduce(evolveLoyaltyAccount, initialLoyaltyAccount()));
    expect(usd(V1).map((e) => e.type)).toEqual(['LoyaltyPointsEarned']);
    const perCurrency = { version: 2, rules: { ...DEFAULT_LOYALTY_RULES, currencyThresholds: [{ currency: 'USD', Silver: 7_000, Gold: 28_000, Platinum: 140_000 }] } };
    expect(usd(perCurrency)[1]).toMatchObject({ type: 'LoyaltyTierChanged', data: { tier: 'Silver', inputs: { decidingCurrency: 'USD', threshold: 7_000 }, policyVersion: 2 } });
  });

  const silver = replay([earn('p-1', '2025-03-01', [part(60_000, '2025-03-31')])]);

  it('schedules the day the amount leaves the window and takes the customer below the tier', () => {
    expect(silver.state.tier).toBe('Silver');
    expect(nextLoyaltyDue(silver.state)).toBe('2026-03-01');
  });

  it('skips amounts whose leaving keeps the tier: due the day the one that matters leaves', () => {
    const { state } = replay([earn('p-1', '2025-03-01', [part(10_000, '2025-03-31')]), earn('p-2', '2025-06-01', [part(60_000, '2025-06-30')])]);
    expect([state.tier, nextLoyaltyDue(state)]).toEqual(['Silver', '2026-06-01']);
    expect(loyaltyAccountDecider.decide(close('2026-03-01'), state)).toEqual([]);
  });

  it('goes down only after 30 consecutive closes below the threshold, from the first day below', () => {
    const { history, state } = replay([earn('p-1', '2025-03-01', [part(60_000, '2025-03-31')]), close('2026-03-01'), close('2026-03-29')]);
    expect(history.map((e) => e.type).slice(-1)).toEqual(['LoyaltyDowngradePending']);
    expect(state.downgradePendingSince).toBe('2026-03-01');
    expect(nextLoyaltyDue(state)).toBe('2026-03-01');
    const [down] = loyaltyAccountDecider.decide(close('2026-03-30'), state);
    expect(down).toEqual(loyaltyEvent('LoyaltyTierChanged', {
      customerId: C, tier: 'Member', previousTier: 'Silver', direction: 'downgrade', on: '2026-03-30',
      inputs: { trailing12mPaid: [], decidingCurrency: null, threshold: 0, rule: expect.stringMatching(/^downgrade/), belowSince: '2026-03-01',
        keepThresholds: { default: 0, currencies: [] } },
      policyVersion: 1,
    }));
  });

  it('cancels a pending downgrade when a payment brings the amount back', () => {
    const { state } = replay([earn('p-1', '2025-03-01', [part(60_000, '2025-03-31')]), close('2026-03-01')]);
    const events = loyaltyAccountDecider.decide(earn('p-2', '2026-03-05', [part(50_000, '2026-03-31')]), state);
    expect(events.map((e) => e.type)).toEqual(['LoyaltyPointsEarned', 'LoyaltyDowngradeCancelled']);
    expect(events[1].data).toMatchObject({ tier: 'Silver', pendingSince: '2026-03-01', on: '2026-03-05' });
  });

  it('keeps the grace of the policy in force at the close and cites it', () => {
    const short = { version: 2, rules: { ...DEFAULT_LOYALTY_RULES, downgradeGraceDays: 1 } };
    const { history } = replay([earn('p-1', '2025-03-01', [part(60_000, '2025-03-31')]), close('2026-03-01', short)]);
    expect(history.slice(-2).map((e) => [e.type, (e.data as any).policyVersion])).toEqual([['LoyaltyDowngradePending', 2], ['LoyaltyTierChanged', 2]]);
  });

  it('a replay applies the recorded decisions: a later policy never changes the tier history', () => {
    const { history } = replay([earn('p-1', '2026-01-10', [part(60_000, '2026-01-31')])]);
    const folded = history.reduce(evolveLoyaltyAccount, initialLoyaltyAccount());
    const raised = { version: 2, rules: { ...DEFAULT_LOYALTY_RULES, thresholds: { Silver: 100_000, Gold: 200_000, Platinum: 1_000_000 } } };
    expect([folded.tier, folded.tierPolicyVersion]).toEqual(['Silver', 1]);
    expect(loyaltyAccountDecider.decide(earn('p-2', '2026-02-01', [part(1, '2026-02-28')], raised), folded).map((e) => e.type)).toEqual(['LoyaltyPointsEarned']);
  });
});
