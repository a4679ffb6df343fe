import { EventEnvelope } from '@crm/contracts';
import { deciderSpec, envelopeOf } from '@crm/testing';
import { loyaltyAccountDecider } from './loyalty-account.decider';
import { LoyaltyAccountEvent, loyaltyEvent } from './loyalty-account.events';
import { evolveLoyaltyAccount, initialLoyaltyAccount } from './loyalty-account.state';
import { DEFAULT_LOYALTY_RULES, loyaltyPolicyDecider } from './loyalty-policy';
import { evolveLoyaltyMember, LoyaltyMemberDoc } from './loyalty-tiers.read-model';
import { loyaltyStateAsOf, loyaltyView } from './loyalty-view';

const C = '00000000-0000-4000-8000-000000000001';
const V1 = { version: 1, rules: DEFAULT_LOYALTY_RULES };
const earnOn = (paymentId: string, paidOn: string, units: number) => loyaltyAccountDecider.decide({ type: 'EarnPoints', context: { policy: V1 },
  data: { customerId: C, paymentId, currency: 'CNY', paidOn, parts: [{ invoiceId: 'i', amount: units * 100, dueDate: paidOn, kind: 'payment' }] } },
initialLoyaltyAccount());

describe('the customer view', () => {
  const history: LoyaltyAccountEvent[] = [];
  const state = initialLoyaltyAccount();
  for (const [id, day, units] of [['p-1', '2026-01-10', 30_000], ['p-2', '2026-04-10', 30_000]] as const) {
    const events = loyaltyAccountDecider.decide({ type: 'EarnPoints', context: { policy: V1 },
      data: { customerId: C, paymentId: id, currency: 'CNY', paidOn: day, parts: [{ invoiceId: 'i', amount: units * 100, dueDate: day, kind: 'payment' }] } }, state);
    events.forEach((e) => evolveLoyaltyAccount(state, e));
    history.push(...events);
  }

  it('answers tier, points, trailing amounts, next tier with progress and the next expiry', () =>
    expect(loyaltyView(C, state, '2026-05-01', V1, history.length)).toMatchObject({
      tier: 'Silver', points: 60_000, trailing12mPaid: [{ currency: 'CNY', amount: 6_000_000, wholeUnits: 60_000 }],
      nextTier: { tier: 'Gold', threshold: 200_000, remaining: 140_000, progress: 0.3 }, pointsExpiringNext: { points: 30_000, on: '2028-01-10' },
      downgradePendingSince: null,
    }));

  it('as of a past business date, folds only the events dated on or before it', () => {
    const past = loyaltyStateAsOf(history, '2026-03-31');
    expect(loyaltyView(C, past.state, '2026-03-31', V1, past.version)).toMatchObject({ tier: 'Member', points: 30_000, version: 1 });
  });

  it('as of a date, never mixes a later-recorded reversal with the redemptions recorded before it', () => {
    const account = initialLoyaltyAccount();
    const stream: LoyaltyAccountEvent[] = [];
    const apply = (command: Parameters<typeof loyaltyAccountDecider.decide>[0]) => {
      const events = loyaltyAccountDecider.decide(command, account);
      events.forEach((e) => evolveLoyaltyAccount(account, e));
      stream.push(...events);
    };
    apply({ type: 'EarnPoints', context: { policy: V1 }, data: { customerId: C, paymentId: 'p-1', currency: 'CNY', paidOn: '2026-11-15',
      parts: [{ invoiceId: 'i', amount: 1_000_000, dueDate: '2026-11-15', kind: 'payment' }] } });
    apply({ type: 'RedeemPoints', data: { customerId: C, redemptionId: 'r-1', points: 600, reason: 'gift', redeemedBy: 'am', redeemedAt: '2026-12-01T09:00:00.000Z' } });
    // Dated before the redemption, recorded after it: its recorded shortfall counts the redemption.
    apply({ type: 'ReversePoints', data: { customerId: C, paymentId: 'p-1', currency: 'CNY', reversedOn: '2026-11-25', amount: 1_000_000 }, context: { policy: V1 } });
    expect(stream.map((e) => e.type)).toEqual(['LoyaltyPointsEarned', 'LoyaltyPointsRedeemed', 'LoyaltyPointsReversed']);
    const past = loyaltyStateAsOf(stream, '2026-11-30');
    expect(loyaltyView(C, past.state, '2026-11-30', V1, past.version)).toMatchObject({ points: 10_000, shortfall: 0, version: 1 });
    const now = loyaltyStateAsOf(stream, '2026-12-01');
    expect(loyaltyView(C, now.state, '2026-12-01', V1, now.version)).toMatchObject({ points: 0, shortfall: 600, version: 3 });
  });

  it('counts a day\'s amount for 12 months: up to the day before the same day a year later', () => {
    expect(loyaltyView(C, state, '2027-01-09', V1, 0).trailing12mPaid).toEqual([{ currency: 'CNY', amount: 6_000_000, wholeUnits: 60_000 }]);
    expect(loyaltyView(C, state, '2027-01-10', V1, 0).trailing12mPaid).toEqual([{ currency: 'CNY', amount: 3_000_000, wholeUnits: 30_000 }]);
  });
});

describe('bounded state', () => {
  it('keeps paid days of one window only, however many payments', () => {
    const state = initialLoyaltyAccount();
    for (let day = 0; day < 1_000; day++) {
      const paidOn = new Date(Date.UTC(2026, 0, 1 + day)).toISOString().slice(0, 10);
      const events = loyaltyAccountDecider.decide({ type: 'EarnPoints', context: { policy: V1 },
        data: { customerId: C, paymentId: `p-${day}`, currency: 'CNY', paidOn, parts: [{ invoiceId: 'i', amount: 100, dueDate: paidOn, kind: 'payment' }] } }, state);
      events.forEach((e) => evolveLoyaltyAccount(state, e));
    }
    expect(Object.keys(state.paid.CNY).length).toBeLessThanOrEqual(366);
    expect(Object.keys(state.payments).length).toBeLessThanOrEqual(731);
  });
});

describe('the tier list\'s document', () => {
  const membersOf = (envelopes: EventEnvelope[]) => envelopes.reduce<LoyaltyMemberDoc | undefined>((d, e) => evolveLoyaltyMember(d, e) ?? undefined, undefined);

  it('follows tier changes and the balance', () => {
    const doc = membersOf(earnOn('p-1', '2026-01-10', 60_000).map((e) => envelopeOf(e)));
    expect(doc).toEqual({ customerId: C, tier: 'Silver', tierSince: '2026-01-10', points: 60_000, policyVersion: 1, downgradePendingSince: null });
    const after = evolveLoyaltyMember(doc, envelopeOf(loyaltyEvent('LoyaltyPointsRedeemed', { customerId: C, redemptionId: 'r', points: 10, reason: 'x', redeemedBy: 'am',
      redeemedAt: '2026-02-01T00:00:00.000Z', balance: 59_990 })));
    expect(after?.points).toBe(59_990);
  });

  it('lists a registered customer as a Member before any payment, and a registration never resets a tier', () => {
    const registered = envelopeOf({ type: 'CustomerRegistered', data: { customerId: C, kind: 'company', legalName: 'x', tags: [] } });
    const silver = membersOf(earnOn('p-1', '2026-01-10', 60_000).map((e) => envelopeOf(e)))!;
    expect(evolveLoyaltyMember(undefined, registered)).toEqual({ customerId: C, tier: 'Member', tierSince: null, points: 0, policyVersion: null, downgradePendingSince: null });
    expect(evolveLoyaltyMember(silver, registered)).toEqual(silver);
  });
});

describe('the loyalty policy', () => {
  const spec = deciderSpec(loyaltyPolicyDecider);
  it('is version 1 with the issue\'s numbers before any change, and each change is the next version', () => {
    expect(loyaltyPolicyDecider.initialState()).toEqual({ version: 1, rules: DEFAULT_LOYALTY_RULES });
    spec.given([]).when({ type: 'ChangeLoyaltyPolicy', data: { rules: { ...DEFAULT_LOYALTY_RULES, expiryMonths: 12 }, changedBy: 'admin' } })
      .then([{ type: 'LoyaltyPolicyChanged', schemaVersion: 1, data: { version: 2, ...DEFAULT_LOYALTY_RULES, expiryMonths: 12, changedBy: 'admin' } }]);
  });
  it('records nothing for the same rules', () =>
    spec.given([]).when({ type: 'ChangeLoyaltyPolicy', data: { rules: DEFAULT_LOYALTY_RULES, changedBy: 'admin' } }).thenNothingHappened());
  it('refuses thresholds that do not rise, naming the field', () =>
    spec.given([]).when({ type: 'ChangeLoyaltyPolicy', data: { rules: { ...DEFAULT_LOYALTY_RULES, thresholds: { Silver: 300_000, Gold: 200_000, Platinum: 1_000_000 } }, changedBy: 'admin' } })
      .thenThrows('invalid-loyalty-policy', 'thresholds'));
});
