import { AllocationPart, LoyaltyAccountCommand, loyaltyAccountDecider } from './loyalty-account.decider';
import { LoyaltyAccountEvent } from './loyalty-account.events';
import { LoyaltyAccountState, nextLoyaltyDue } from './loyalty-account.state';
import { DEFAULT_LOYALTY_RULES, LoyaltyPolicy, LoyaltyPolicyRules } from './loyalty-policy';
import { ClosedLoyaltyDay, RecordedLoyaltyEvent, replayUnderLoyaltyRules } from './loyalty-what-if';

const C = '00000000-0000-4000-8000-000000000001';
const INV = '00000000-0000-4000-8000-0000000000a1';
const V1: LoyaltyPolicy = { version: 1, rules: DEFAULT_LOYALTY_RULES };
const part = (units: number, dueDate: string): AllocationPart => ({ invoiceId: INV, amount: units * 100, dueDate, kind: 'payment' });

/**
 * A history recorded by the real decider under the live rules, as the service records it:
 * payments, a reversal, a redemption, and day closes (each an EngagementBusinessDayClosed at its
 * log position, then the customer's close when its schedule says it is due).
 */
function liveHistory() {
  let state: LoyaltyAccountState = loyaltyAccountDecider.initialState();
  const events: RecordedLoyaltyEvent[] = [];
  const closes: ClosedLoyaltyDay[] = [];
  let position = 0;
  let commands = 0;
  const record = (command: LoyaltyAccountCommand) => {
    commands += 1;
    for (const e of loyaltyAccountDecider.decide(command, state)) {
      state = loyaltyAccountDecider.evolve(state, e);
      events.push({ ...e, id: `event-${position + 1}`, globalPosition: (position += 1), command: command.type, causationId: `cmd-${commands}` });
    }
  };
  const close = (businessDate: string) => {
    closes.push({ businessDate, globalPosition: (position += 1) });
    const due = nextLoyaltyDue(state);
    if (due !== null && due <= businessDate) record({ type: 'CloseLoyaltyDay', data: { customerId: C, businessDate }, context: { policy: V1 } });
  };
  const earn = (paymentId: string, paidOn: string, units: number) =>
    record({ type: 'EarnPoints', data: { customerId: C, paymentId, currency: 'CNY', paidOn, parts: [part(units, '2026-03-31')] }, context: { policy: V1 } });
  earn('p-1', '2026-03-01', 40_000); // 40,000 points, Member
  earn('p-2', '2026-03-10', 30_000); // 70,000 units: Silver
  record({ type: 'RedeemPoints', data: { customerId: C, redemptionId: 'r-1', points: 60_000, reason: 'tea set', redeemedBy: 'am', redeemedAt: '2026-03-15T10:00:00Z' } });
  record({ type: 'ReversePoints', data: { customerId: C, paymentId: 'p-2', currency: 'CNY', reversedOn: '2026-03-20', amount: 30_000 * 100 }, context: { policy: V1 } });
  for (const day of ['2026-03-25', '2026-04-10', '2026-04-18', '2026-04-30']) close(day);
  return { events, closes };
}

const rules = (change: Partial<LoyaltyPolicyRules>) => () => ({ version: 1, rules: { ...DEFAULT_LOYALTY_RULES, ...change } });
const tierChanges = (events: LoyaltyAccountEvent[]) => events.filter((e) => e.type === 'LoyaltyTierChanged').map((e) => [e.data.previousTier, e.data.tier, e.data.on]);

describe('replayUnderLoyaltyRules (what-if of the loyalty rules)', () => {
  it('decides under the live rules exactly what was recorded, closes included', () => {
    const { events, closes } = liveHistory();
    const { steps, refusedRedemptions } = replayUnderLoyaltyRules(events, closes, () => V1);
    const strip = (e: LoyaltyAccountEvent) => ({ type: e.type, data: e.data });
    expect(steps.map((s) => strip(s.event))).toEqual(events.map(strip));
    expect(refusedRedemptions).toBe(0);
    // Upgraded on the second payment, pending on the reversal, downgraded when the 30-day grace ran out (04-18 is day 30).
    expect(tierChanges(events)).toEqual([['Member', 'Silver', '2026-03-10'], ['Silver', 'Member', '2026-04-18']]);
  });

  it('under a higher Silver threshold the upgrade and its downgrade never happen', () => {
    const { events, closes } = liveHistory();
    const { steps } = replayUnderLoyaltyRules(events, closes, rules({ thresholds: { Silver: 80_000, Gold: 200_000, Platinum: 1_000_000 } }));
    expect(tierChanges(steps.map((s) => s.event))).toEqual([]);
    expect(steps.some((s) => s.event.type === 'LoyaltyDowngradePending')).toBe(false);
  });

  it('under a lower Silver threshold the upgrade comes on the first payment', () => {
    const { events, closes } = liveHistory();
    const { steps } = replayUnderLoyaltyRules(events, closes, rules({ thresholds: { Silver: 35_000, Gold: 200_000, Platinum: 1_000_000 } }));
    // 40,000 units stay after the reversal: Silver is kept, nothing is pending.
    expect(tierChanges(steps.map((s) => s.event))).toEqual([['Member', 'Silver', '2026-03-01']]);
  });

  it('a longer downgrade grace: the downgrade waits, the closes up to day 60 decide nothing', () => {
    const { events, closes } = liveHistory();
    const { steps } = replayUnderLoyaltyRules(events, closes, rules({ downgradeGraceDays: 60 }));
    expect(tierChanges(steps.map((s) => s.event))).toEqual([['Member', 'Silver', '2026-03-10']]);
    // Pending since the reversal; the closes are due (a pending downgrade is) but the grace has not run out by 04-30.
    expect(steps.filter((s) => s.closedDate).map((s) => s.closedDate)).toEqual([]);
    expect(steps.filter((s) => s.event.type === 'LoyaltyDowngradePending').map((s) => (s.event.data as { since: string }).since)).toEqual(['2026-03-20']);
  });

  it('a redemption the what-if balance cannot cover is left out and counted', () => {
    const { events, closes } = liveHistory();
    const { steps, refusedRedemptions } = replayUnderLoyaltyRules(events, closes, rules({ rates: { onTimePercent: 50, latePercent: 25 } }));
    expect(refusedRedemptions).toBe(1);
    expect(steps.some((s) => s.event.type === 'LoyaltyPointsRedeemed')).toBe(false);
    expect(steps.filter((s) => s.event.type === 'LoyaltyPointsEarned').map((s) => (s.event.data as { points: number }).points)).toEqual([20_000, 15_000]);
  });
});
