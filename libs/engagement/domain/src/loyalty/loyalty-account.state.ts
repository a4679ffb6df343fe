import { addDays, addMonths, laterDate, LoyaltyTier, MoneyAmountV1, wholeUnits } from '@crm/contracts';
import { loyaltyDateOf, LoyaltyAccountEvent } from './loyalty-account.events';
import { tierRank } from './loyalty-tiers';

/** Points earned on one day with one expiry: expiry takes whole lots, oldest first. */
export interface PointsLot { earnedOn: string; expiresOn: string; points: number }

/** What a reversal needs of a payment: its day (whose amount it reduces) and the points it earned. */
export interface EarnedPayment { paidOn: string; currency: string; amount: number; points: number; expiresOn: string }

export interface LoyaltyAccountState {
  customerId: string | null;
  balance: number;
  /** By expiry, then earning date: the first lot is the next to expire. */
  lots: PointsLot[];
  payments: Record<string, EarnedPayment>;
  /** Minor units paid per currency per business day; days out of the 12-month window are dropped. */
  paid: Record<string, Record<string, number>>;
  tier: LoyaltyTier;
  tierSince: string | null;
  tierPolicyVersion: number | null;
  keepThresholds: { default: number; currencies: MoneyAmountV1[] } | null;
  downgradePendingSince: string | null;
  shortfall: number;
  /** The latest business date the stream's events show: amounts before its window can no longer count. */
  latestDate: string | null;
}

export const initialLoyaltyAccount = (): LoyaltyAccountState => ({
  customerId: null, balance: 0, lots: [], payments: {}, paid: {}, tier: 'Member', tierSince: null, tierPolicyVersion: null,
  keepThresholds: null, downgradePendingSince: null, shortfall: 0, latestDate: null,
});

/** First day of the trailing 12 months ending on `date`: a payment counts on `date` when made after the same day a year earlier. */
export const windowStartOf = (date: string) => addDays(addMonths(date, -12), 1);

/** Minor units per currency paid in the 12 months ending on `asOf` (by currency code; none left out). */
export function trailing12mPaid(state: LoyaltyAccountState, asOf: string): MoneyAmountV1[] {
  const from = windowStartOf(asOf);
  return Object.keys(state.paid).sort().map((currency) => ({
    currency,
    amount: Object.entries(state.paid[currency]).reduce((n, [day, amount]) => (day >= from && day <= asOf ? n + amount : n), 0),
  })).filter((m) => m.amount > 0);
}

const byExpiry = (a: PointsLot, b: PointsLot) => a.expiresOn.localeCompare(b.expiresOn) || a.earnedOn.localeCompare(b.earnedOn);

/** Takes points from the lots earned on `preferred` first (a reversal's own), then oldest first. */
function deduct(state: LoyaltyAccountState, points: number, preferred?: string): void {
  let left = points;
  const order = preferred ? [...state.lots.filter((l) => l.earnedOn === preferred), ...state.lots.filter((l) => l.earnedOn !== preferred)] : state.lots;
  for (const lot of order) {
    if (left <= 0) break;
    const take = Math.min(lot.points, left);
    lot.points -= take;
    left -= take;
  }
  state.lots = state.lots.filter((l) => l.points > 0);
}

function addPaid(state: LoyaltyAccountState, currency: string, day: string, amount: number): void {
  const days = (state.paid[currency] ??= {});
  const next = (days[day] ?? 0) + amount;
  if (next > 0) days[day] = next;
  else delete days[day];
  if (Object.keys(days).length === 0) delete state.paid[currency];
}

/** Drops what no date from `latestDate` on can count: paid days before the window, payments whose points and days are gone. */
function prune(state: LoyaltyAccountState): void {
  if (!state.latestDate) return;
  const from = windowStartOf(state.latestDate);
  for (const [currency, days] of Object.entries(state.paid)) {
    for (const day of Object.keys(days)) if (day < from) delete days[day];
    if (Object.keys(days).length === 0) delete state.paid[currency];
  }
  for (const [id, payment] of Object.entries(state.payments)) {
    if (payment.paidOn < from && payment.expiresOn <= state.latestDate) delete state.payments[id];
  }
}

/** Folds one event in place (ADR 12): the events carry every decision, the fold only applies them. */
export function evolveLoyaltyAccount(state: LoyaltyAccountState, e: LoyaltyAccountEvent): LoyaltyAccountState {
  state.customerId = e.data.customerId;
  switch (e.type) {
    case 'LoyaltyPointsEarned': {
      const d = e.data;
      if (d.points > 0) {
        const lot = state.lots.find((l) => l.earnedOn === d.paidOn && l.expiresOn === d.expiresOn);
        if (lot) lot.points += d.points;
        else state.lots = [...state.lots, { earnedOn: d.paidOn, expiresOn: d.expiresOn, points: d.points }].sort(byExpiry);
      }
      const payment = (state.payments[d.paymentId] ??= { paidOn: d.paidOn, currency: d.currency, amount: 0, points: 0, expiresOn: d.expiresOn });
      payment.amount += d.allocated;
      payment.points += d.points;
      addPaid(state, d.currency, d.paidOn, d.allocated);
      state.balance = d.balance;
      break;
    }
    case 'LoyaltyPointsReversed': {
      const d = e.data;
      const payment = state.payments[d.paymentId];
      deduct(state, d.points, payment?.paidOn);
      if (d.currency && d.amount && d.paidOn) addPaid(state, d.currency, d.paidOn, -d.amount);
      delete state.payments[d.paymentId];
      state.shortfall += d.shortfall;
      state.balance = d.balance;
      break;
    }
    case 'LoyaltyPointsRedeemed':
      deduct(state, e.data.points);
      state.balance = e.data.balance;
      break;
    case 'LoyaltyPointsExpired': {
      const { earnedOn, businessDate } = e.data;
      let left = e.data.points;
      for (const lot of state.lots) {
        if (lot.earnedOn !== earnedOn || lot.expiresOn > businessDate || left <= 0) continue;
        const take = Math.min(lot.points, left);
        lot.points -= take;
        left -= take;
      }
      state.lots = state.lots.filter((l) => l.points > 0);
      state.balance = e.data.balance;
      break;
    }
    case 'LoyaltyTierChanged':
      state.tier = e.data.tier;
      state.tierSince = e.data.on;
      state.tierPolicyVersion = e.data.policyVersion;
      state.keepThresholds = e.data.inputs.keepThresholds ?? null;
      state.downgradePendingSince = null;
      break;
    case 'LoyaltyDowngradePending':
      state.downgradePendingSince = e.data.since;
      break;
    case 'LoyaltyDowngradeCancelled':
      state.downgradePendingSince = null;
      break;
  }
  state.latestDate = laterDate(state.latestDate, loyaltyDateOf(e));
  prune(state);
  return state;
}

/** Below the amount that keeps the current tier under the thresholds it was decided with (every currency below). */
function belowKeep(state: LoyaltyAccountState, paid: MoneyAmountV1[]): boolean {
  const keep = state.keepThresholds;
  if (!keep || tierRank(state.tier) === 0) return false;
  return paid.every(({ currency, amount }) =>
    wholeUnits(amount, currency) < (keep.currencies.find((c) => c.currency === currency)?.amount ?? keep.default));
}

/** The first date on which a day's amount no longer counts (its window starts after that day). */
export function leavesWindowOn(day: string): string {
  let date = addDays(addMonths(day, 12), -3);
  while (windowStartOf(date) <= day) date = addDays(date, 1);
  return date;
}

/**
 * The first date from `latestDate` on when amounts leaving the window take the customer below the
 * current tier's threshold. Every paid day is on or before `latestDate`, so after it the amounts
 * only fall: one pass over the days in order (not a sum per candidate date).
 */
export function firstDateBelowTier(state: LoyaltyAccountState): string | null {
  const latest = state.latestDate;
  if (!latest || !state.keepThresholds || state.tier === 'Member') return null;
  const now = trailing12mPaid(state, latest);
  if (belowKeep(state, now)) return latest;
  const totals = new Map(now.map((m) => [m.currency, m.amount]));
  const from = windowStartOf(latest);
  const leaving = Object.entries(state.paid)
    .flatMap(([currency, days]) => Object.entries(days).filter(([day]) => day >= from).map(([day, amount]) => ({ currency, amount, on: leavesWindowOn(day) })))
    .sort((x, y) => x.on.localeCompare(y.on));
  for (let i = 0; i < leaving.length; i++) {
    const { currency, amount, on } = leaving[i];
    totals.set(currency, (totals.get(currency) ?? 0) - amount);
    if (leaving[i + 1]?.on === on) continue;
    if (on > latest && belowKeep(state, [...totals].map(([c, a]) => ({ currency: c, amount: a })).filter((m) => m.amount > 0))) return on;
  }
  return null;
}

/**
 * When a day close next has work for this customer (ADR 12's schedule): the next expiry, every
 * close while a downgrade is pending, and the day leaving amounts would take it below its tier.
 */
export function nextLoyaltyDue(state: LoyaltyAccountState): string | null {
  const dates = [state.lots[0]?.expiresOn ?? null, state.downgradePendingSince, firstDateBelowTier(state)].filter((d): d is string => d !== null);
  return dates.length ? dates.sort()[0] : null;
}
