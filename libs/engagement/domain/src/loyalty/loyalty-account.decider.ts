import { addDays, addMonths, Decider, domainError, laterDate, LoyaltyTier, wholeUnits } from '@crm/contracts';
import { LoyaltyAccountEvent, loyaltyEvent } from './loyalty-account.events';
import { evolveLoyaltyAccount, initialLoyaltyAccount, LoyaltyAccountState, trailing12mPaid } from './loyalty-account.state';
import { LoyaltyPolicy } from './loyalty-policy';
import { keepThresholdsOf, tierFor, tierRank } from './loyalty-tiers';

/** One installment's share of an allocation: what it paid and by when it was due. */
export interface AllocationPart { invoiceId: string; amount: number; dueDate: string; kind: 'payment' | 'recovery' }

export interface EarnPoints {
  type: 'EarnPoints';
  data: { customerId: string; paymentId: string; currency: string; paidOn: string; parts: AllocationPart[] };
  context: { policy: LoyaltyPolicy };
}
export interface ReversePoints {
  type: 'ReversePoints';
  data: { customerId: string; paymentId: string; currency: string; reversedOn: string; amount: number };
  context: { policy: LoyaltyPolicy };
}
export interface RedeemPoints {
  type: 'RedeemPoints';
  data: { customerId: string; redemptionId: string; points: number; reason: string; redeemedBy: string; redeemedAt: string };
}
export interface CloseLoyaltyDay {
  type: 'CloseLoyaltyDay';
  data: { customerId: string; businessDate: string };
  context: { policy: LoyaltyPolicy };
}
export type LoyaltyAccountCommand = EarnPoints | ReversePoints | RedeemPoints | CloseLoyaltyDay;

export const UPGRADE_RULE = 'upgrade at once: trailing 12-month paid reached the tier threshold';
export const DOWNGRADE_RULE = 'downgrade after the grace: trailing 12-month paid below the tier threshold on every close of the grace days';
export const BELOW_RULE = 'trailing 12-month paid below the threshold of the current tier: the downgrade grace starts';
export const BACK_ABOVE_RULE = 'trailing 12-month paid back at the threshold of the current tier';

function pointsFor(part: AllocationPart, currency: string, paidOn: string, { rates }: LoyaltyPolicy['rules']) {
  if (part.kind === 'recovery') return { rule: 'recovery' as const, points: 0 };
  const units = Math.max(0, wholeUnits(part.amount, currency));
  return paidOn <= part.dueDate
    ? { rule: 'on-time' as const, points: Math.floor((units * rates.onTimePercent) / 100) }
    : { rule: 'late' as const, points: Math.floor((units * rates.latePercent) / 100) };
}

/** Decides on a copy of the state with the events so far folded in (later rules of the same command see them). */
function foldCopy(state: LoyaltyAccountState, events: LoyaltyAccountEvent[]): LoyaltyAccountState {
  const copy: LoyaltyAccountState = JSON.parse(JSON.stringify(state));
  return events.reduce(evolveLoyaltyAccount, copy);
}

function tierChange(customerId: string, state: LoyaltyAccountState, to: LoyaltyTier, on: string, policy: LoyaltyPolicy, rule: string,
  belowSince: string | null): LoyaltyAccountEvent {
  const paid = trailing12mPaid(state, on);
  const decided = tierFor(paid, policy.rules);
  return loyaltyEvent('LoyaltyTierChanged', {
    customerId, tier: to, previousTier: state.tier, direction: tierRank(to) > tierRank(state.tier) ? 'upgrade' : 'downgrade', on,
    inputs: { trailing12mPaid: paid, decidingCurrency: decided.decidingCurrency, threshold: decided.threshold, rule, belowSince,
      keepThresholds: keepThresholdsOf(policy.rules, to) },
    policyVersion: policy.version,
  });
}

function earn({ data, context: { policy } }: EarnPoints, state: LoyaltyAccountState): LoyaltyAccountEvent[] {
  // The same payment twice (a redelivery with another key) earns once.
  if (state.payments[data.paymentId]) return [];
  const expiresOn = addMonths(data.paidOn, policy.rules.expiryMonths);
  let balance = state.balance;
  const events: LoyaltyAccountEvent[] = data.parts.filter((p) => p.amount > 0).map((part) => {
    const { rule, points } = pointsFor(part, data.currency, data.paidOn, policy.rules);
    balance += points;
    return loyaltyEvent('LoyaltyPointsEarned', {
      customerId: data.customerId, paymentId: data.paymentId, invoiceId: part.invoiceId, currency: data.currency, allocated: part.amount,
      dueDate: part.dueDate, paidOn: data.paidOn, rule, points, balance, expiresOn, policyVersion: policy.version,
    });
  });
  if (events.length === 0) return [];
  const after = foldCopy(state, events);
  // As of the payment's day, or the stream's latest when a payment is recorded late: amounts a later date no longer counts cannot lift the tier.
  const on = laterDate(data.paidOn, state.latestDate)!;
  const decided = tierFor(trailing12mPaid(after, on), policy.rules);
  if (tierRank(decided.tier) > tierRank(state.tier)) {
    events.push(tierChange(data.customerId, after, decided.tier, on, policy, UPGRADE_RULE, null));
  } else if (state.downgradePendingSince && tierRank(decided.tier) >= tierRank(state.tier)) {
    events.push(loyaltyEvent('LoyaltyDowngradeCancelled', {
      customerId: data.customerId, tier: state.tier, pendingSince: state.downgradePendingSince, on,
      inputs: { trailing12mPaid: trailing12mPaid(after, on), rule: BACK_ABOVE_RULE }, policyVersion: policy.version,
    }));
  }
  return events;
}

/**
 * Takes back what the payment earned; the balance stops at zero and what it could not cover is
 * the shortfall. A reversal that takes the customer below its tier starts the downgrade grace
 * on the reversal's date: the days below are counted from then, not from the next close.
 */
function reverse({ data, context: { policy } }: ReversePoints, state: LoyaltyAccountState): LoyaltyAccountEvent[] {
  const payment = state.payments[data.paymentId];
  const earned = payment?.points ?? 0;
  const points = Math.min(earned, state.balance);
  const events = [loyaltyEvent('LoyaltyPointsReversed', {
    customerId: data.customerId, paymentId: data.paymentId, reversedOn: data.reversedOn, points, shortfall: earned - points,
    balance: state.balance - points, currency: data.currency, amount: payment ? Math.min(payment.amount, data.amount) : 0, paidOn: payment?.paidOn ?? null,
  })];
  if (state.tier === 'Member' || state.downgradePendingSince) return events;
  const paid = trailing12mPaid(foldCopy(state, events), data.reversedOn);
  const candidate = tierFor(paid, policy.rules).tier;
  if (tierRank(candidate) < tierRank(state.tier)) {
    events.push(loyaltyEvent('LoyaltyDowngradePending', {
      customerId: data.customerId, tier: state.tier, candidateTier: candidate, since: data.reversedOn,
      inputs: { trailing12mPaid: paid, rule: BELOW_RULE }, policyVersion: policy.version,
    }));
  }
  return events;
}

function redeem({ data }: RedeemPoints, state: LoyaltyAccountState): LoyaltyAccountEvent[] {
  if (!Number.isSafeInteger(data.points) || data.points <= 0) {
    throw domainError('invalid-points', 'invalid', 'points must be a positive integer', 'points');
  }
  if (data.points > state.balance) {
    throw domainError('insufficient-points', 'refused', `the customer has ${state.balance} points; ${data.points} cannot be redeemed`, 'points');
  }
  return [loyaltyEvent('LoyaltyPointsRedeemed', { ...data, balance: state.balance - data.points })];
}

/** Expiry of lots due on or before the date (oldest first), then the tier: a pending downgrade starts, ends or is carried out. */
function closeDay({ data, context: { policy } }: CloseLoyaltyDay, state: LoyaltyAccountState): LoyaltyAccountEvent[] {
  const { customerId, businessDate } = data;
  const events: LoyaltyAccountEvent[] = [];
  let balance = state.balance;
  for (const lot of state.lots.filter((l) => l.expiresOn <= businessDate)) {
    balance -= lot.points;
    events.push(loyaltyEvent('LoyaltyPointsExpired', { customerId, businessDate, points: lot.points, earnedOn: lot.earnedOn, balance, policyVersion: policy.version }));
  }
  const after = foldCopy(state, events);
  if (after.tier === 'Member') return events;
  const paid = trailing12mPaid(after, businessDate);
  const candidate = tierFor(paid, policy.rules).tier;
  const below = tierRank(candidate) < tierRank(after.tier);
  const pendingSince = after.downgradePendingSince;
  if (!below) {
    if (pendingSince) {
      events.push(loyaltyEvent('LoyaltyDowngradeCancelled', {
        customerId, tier: after.tier, pendingSince, on: businessDate, inputs: { trailing12mPaid: paid, rule: BACK_ABOVE_RULE }, policyVersion: policy.version,
      }));
    }
    return events;
  }
  const since = pendingSince ?? businessDate;
  if (!pendingSince) {
    events.push(loyaltyEvent('LoyaltyDowngradePending', {
      customerId, tier: after.tier, candidateTier: candidate, since, inputs: { trailing12mPaid: paid, rule: BELOW_RULE }, policyVersion: policy.version,
    }));
  }
  // The grace's last day is its `downgradeGraceDays`-th consecutive day below, counting `since` as the first.
  if (businessDate >= addDays(since, policy.rules.downgradeGraceDays - 1)) {
    events.push(tierChange(customerId, after, candidate, businessDate, policy, DOWNGRADE_RULE, since));
  }
  return events;
}

/** One customer's points and tier (stream `loyalty-<customerId>`). Pure: dates come in the commands. */
export const loyaltyAccountDecider: Decider<LoyaltyAccountState, LoyaltyAccountCommand, LoyaltyAccountEvent> = {
  initialState: initialLoyaltyAccount,
  decide(command, state) {
    switch (command.type) {
      case 'EarnPoints': return earn(command, state);
      case 'ReversePoints': return reverse(command, state);
      case 'RedeemPoints': return redeem(command, state);
      case 'CloseLoyaltyDay': return closeDay(command, state);
    }
  },
  evolve: evolveLoyaltyAccount,
};
