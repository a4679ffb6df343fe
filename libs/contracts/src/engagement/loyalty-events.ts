import { EventContract } from '../json-schema';
import { arr, currency, date, int, nullable, obj, str, uuid } from '../schema-builders';

/**
 * The engagement team's published loyalty contract (stream `loyalty-<customerId>`). Every points
 * event carries the balance after it, so a reader (customers' 360) needs no fold of its own; every
 * decision carries the policy version and the inputs that produced it (replays apply them, not
 * the current policy).
 */
export const LOYALTY_TIERS = ['Member', 'Silver', 'Gold', 'Platinum'] as const;
export type LoyaltyTier = (typeof LOYALTY_TIERS)[number];

export interface MoneyAmountV1 { currency: string; amount: number }

/** Points for one allocation of a payment to an invoice (installment). */
export interface LoyaltyPointsEarnedV1 {
  customerId: string;
  paymentId: string;
  invoiceId: string;
  currency: string;
  /** Minor units allocated. */
  allocated: number;
  dueDate: string;
  paidOn: string;
  /** 'recovery': an allocation recovering a written-off invoice, which earns no points (it still counts as paid for the tier). */
  rule: 'on-time' | 'late' | 'recovery';
  points: number;
  balance: number;
  /** Expiry of these points (earnedOn + the policy's expiry months). */
  expiresOn: string;
  policyVersion: number;
}

/** A reversed payment takes its points back; what the balance could not cover is the shortfall. */
export interface LoyaltyPointsReversedV1 {
  customerId: string;
  paymentId: string;
  reversedOn: string;
  points: number;
  shortfall: number;
  balance: number;
  /** Minor units the reversal took off the trailing-12-month amount paid, in `currency`. */
  currency?: string;
  amount?: number;
  /** The reversed payment's date (whose day's amount it reduces); null when loyalty no longer keeps it. */
  paidOn?: string | null;
}

export interface LoyaltyPointsRedeemedV1 {
  customerId: string;
  redemptionId: string;
  points: number;
  reason: string;
  redeemedBy: string;
  redeemedAt: string;
  balance: number;
}

/** Points earned on `earnedOn` that reached their expiry on the closed business date (oldest first). */
export interface LoyaltyPointsExpiredV1 {
  customerId: string;
  businessDate: string;
  points: number;
  earnedOn: string;
  balance: number;
  policyVersion: number;
}

export interface LoyaltyTierChangedV1 {
  customerId: string;
  tier: LoyaltyTier;
  previousTier: LoyaltyTier;
  direction: 'upgrade' | 'downgrade';
  /** The business date (payment date for an upgrade, closed date for a downgrade). */
  on: string;
  inputs: {
    trailing12mPaid: MoneyAmountV1[];
    /** The currency whose amount decided the tier (best tier wins), null for Member. */
    decidingCurrency: string | null;
    /** Whole currency units the deciding currency had to reach. */
    threshold: number;
    rule: string;
    /** Downgrades: the first day below the threshold. */
    belowSince: string | null;
    /** Whole units that keep `tier` under this policy version: `default` for any currency, `currencies` where the policy sets its own. */
    keepThresholds?: { default: number; currencies: MoneyAmountV1[] };
  };
  policyVersion: number;
}

/**
 * A day close found the trailing-12-month amount below what keeps the current tier (under the
 * policy in force): the downgrade grace starts on `since`.
 */
export interface LoyaltyDowngradePendingV1 {
  customerId: string;
  tier: LoyaltyTier;
  /** The tier the amount would give now. */
  candidateTier: LoyaltyTier;
  since: string;
  inputs: { trailing12mPaid: MoneyAmountV1[]; rule: string };
  policyVersion: number;
}

/** The amount is back at the current tier's threshold before the grace ran out. */
export interface LoyaltyDowngradeCancelledV1 {
  customerId: string;
  tier: LoyaltyTier;
  pendingSince: string;
  on: string;
  inputs: { trailing12mPaid: MoneyAmountV1[]; rule: string };
  policyVersion: number;
}

export interface LoyaltyPolicyChangedV1 {
  version: number;
  /** Points per 100 whole currency units, on or before the due date and late (rounded down): 100 and 50 by default. */
  rates: { onTimePercent: number; latePercent: number };
  /** Whole currency units of trailing-12-month payments per tier. */
  thresholds: { Silver: number; Gold: number; Platinum: number };
  /** Currency-specific thresholds replacing `thresholds` for that currency. */
  currencyThresholds: Array<{ currency: string; Silver: number; Gold: number; Platinum: number }>;
  expiryMonths: number;
  downgradeGraceDays: number;
  changedBy: string;
}

const money = obj({ currency: currency(), amount: int() });
const tier = () => str({ enum: [...LOYALTY_TIERS] });
const thresholds = { Silver: int(), Gold: int(), Platinum: int() };

export const loyaltyContracts: EventContract[] = [
  { type: 'LoyaltyPointsEarned', version: 1, schema: obj({
    customerId: uuid(), paymentId: uuid(), invoiceId: uuid(), currency: currency(), allocated: int(), dueDate: date(), paidOn: date(),
    rule: str({ enum: ['on-time', 'late', 'recovery'] }), points: int(), balance: int(), expiresOn: date(), policyVersion: int(),
  }) },
  { type: 'LoyaltyPointsReversed', version: 1, schema: obj({
    customerId: uuid(), paymentId: uuid(), reversedOn: date(), points: int(), shortfall: int(), balance: int(),
    'currency?': currency(), 'amount?': int(), 'paidOn?': nullable(date()),
  }) },
  { type: 'LoyaltyPointsRedeemed', version: 1, schema: obj({
    customerId: uuid(), redemptionId: uuid(), points: int(), reason: str(), redeemedBy: str(), redeemedAt: str({ format: 'date-time' }), balance: int(),
  }) },
  { type: 'LoyaltyPointsExpired', version: 1, schema: obj({
    customerId: uuid(), businessDate: date(), points: int(), earnedOn: date(), balance: int(), policyVersion: int(),
  }) },
  { type: 'LoyaltyTierChanged', version: 1, schema: obj({
    customerId: uuid(), tier: tier(), previousTier: tier(), direction: str({ enum: ['upgrade', 'downgrade'] }), on: date(),
    inputs: obj({ trailing12mPaid: arr(money), decidingCurrency: nullable(currency()), threshold: int(), rule: str(), belowSince: nullable(date()),
      'keepThresholds?': obj({ default: int(), currencies: arr(money) }) }),
    policyVersion: int(),
  }) },
  { type: 'LoyaltyDowngradePending', version: 1, schema: obj({
    customerId: uuid(), tier: tier(), candidateTier: tier(), since: date(), inputs: obj({ trailing12mPaid: arr(money), rule: str() }), policyVersion: int(),
  }) },
  { type: 'LoyaltyDowngradeCancelled', version: 1, schema: obj({
    customerId: uuid(), tier: tier(), pendingSince: date(), on: date(), inputs: obj({ trailing12mPaid: arr(money), rule: str() }), policyVersion: int(),
  }) },
  { type: 'LoyaltyPolicyChanged', version: 1, schema: obj({
    version: int(), rates: obj({ onTimePercent: int(), latePercent: int() }), thresholds: obj(thresholds),
    currencyThresholds: arr(obj({ currency: currency(), ...thresholds })), expiryMonths: int(), downgradeGraceDays: int(), changedBy: str(),
  }) },
];
