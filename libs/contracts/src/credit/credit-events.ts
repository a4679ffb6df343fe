import { EventContract } from '../json-schema';
import { arr, bool, currency, date, int, nullable, num, obj, str, uuid } from '../schema-builders';

/**
 * The credit team's published contract. Receivables keeps its own copy of credit decisions
 * (and keeps deciding while credit is down); every decision event carries the policy version
 * it applied and its inputs, so a replay never re-decides under a later policy.
 */
export interface CreditLimitApprovedV1 {
  customerId: string;
  limit: number;
  currency: string;
  approvedBy: string;
  approvedOn: string;
}
export interface CreditHoldPlacedV1 {
  customerId: string;
  reason: string;
  placedOn: string;
}
export interface CreditHoldReleasedV1 {
  customerId: string;
  reason: string;
  releasedOn: string;
}

export const CREDIT_GRADES = ['A', 'B', 'C', 'D'] as const;
export type CreditGrade = (typeof CREDIT_GRADES)[number];

export const HOLD_CAUSES = ['manual', 'exposure-over-limit', 'invoice-overdue', 'dunning-level'] as const;
export type HoldCauseCode = (typeof HOLD_CAUSES)[number];

/** Why a customer is on hold, with the events (receivables' or credit's) that show it. */
export interface HoldCauseV1 {
  code: HoldCauseCode;
  detail: string;
  eventIds: string[];
}

export interface MoneyV1 { amount: number; currency: string }

/** What an automatic hold decision looked at: credit's copy of receivables' facts, as of one event. */
export interface HoldInputsV1 {
  /** Version of the customer's receivables account stream the facts are as of (0: none seen). */
  factsVersion: number;
  /** Business date the days overdue were counted to. */
  asOfDate: string | null;
  exposure: MoneyV1[];
  limit: MoneyV1 | null;
  oldestUnpaidDueDate: string | null;
  daysOverdue: number | null;
  worstDunningLevel: number;
  rules: HoldRulesV1;
}

export interface HoldRulesV1 { exposureOverLimit: boolean; maxDaysOverdue: number; dunningLevel: number }

/** Limit approved (v2): the terms and grade it was approved under, the policy and the request. */
export interface CreditLimitApprovedV2 extends CreditLimitApprovedV1 {
  /** Null only for v1 events (upcast): no terms were recorded then. */
  paymentTermsDays: number | null;
  grade: CreditGrade | null;
  policyVersion: number | null;
  requestId: string | null;
  /** Everyone who approved, first approver first. */
  approvers: string[];
  /** First business date the limit is due for review. */
  reviewDueOn: string | null;
  inputs: LimitDecisionInputsV1 | null;
  /** What the final approver said, if anything. */
  reason?: string;
}

export interface LimitDecisionInputsV1 {
  amount: number;
  currency: string;
  paymentTermsDays: number;
  assessmentId: string;
  score: number;
  grade: CreditGrade;
  maxPaymentTermsDays: number;
  secondApproverThreshold: number;
}

export interface CreditHoldPlacedV2 extends CreditHoldPlacedV1 {
  causes: HoldCauseV1[];
  /** Ids of the events that triggered the decision and of those behind each cause. */
  facts: string[];
  policyVersion: number | null;
  /** A user, or `policy:credit-hold`. */
  placedBy: string | null;
  automatic: boolean;
  inputs: HoldInputsV1 | null;
}

export interface CreditHoldReleasedV2 extends CreditHoldReleasedV1 {
  /** The causes that were in force and are now cleared (or overridden by a manual release). */
  causes: HoldCauseV1[];
  facts: string[];
  policyVersion: number | null;
  releasedBy: string | null;
  automatic: boolean;
  /** Automatic causes a manual release set aside: they hold again only after clearing first. */
  overridden: HoldCauseCode[];
  inputs: HoldInputsV1 | null;
}

/** Still on hold, for other causes than before. */
export interface CreditHoldCausesChangedV1 {
  customerId: string;
  causes: HoldCauseV1[];
  added: HoldCauseCode[];
  removed: HoldCauseCode[];
  facts: string[];
  policyVersion: number;
  changedBy: string;
  changedOn: string;
  inputs: HoldInputsV1 | null;
}

/** Causes a manual release had set aside have cleared: should they return, they hold again. */
export interface CreditHoldOverrideLapsedV1 {
  customerId: string;
  causes: HoldCauseCode[];
  facts: string[];
  policyVersion: number;
  lapsedOn: string;
  inputs: HoldInputsV1;
}

export interface CreditFinancialsRecordedV1 {
  customerId: string;
  /** Minor units. */
  annualRevenue: number;
  debtRatio: number;
  currentRatio: number;
  yearsInBusiness: number;
  /** The date the figures describe. */
  asOf: string;
  recordedBy: string;
  recordedOn: string;
}

export interface CreditFactorV1 {
  name: string;
  /** The value scored; null when there was nothing to score (see `note`). */
  input: number | null;
  points: number;
  maxPoints: number;
  note: string;
}

export interface PaymentHistoryV1 {
  /** Receivables account stream version the history is as of. */
  factsVersion: number;
  asOfDate: string | null;
  invoices: number;
  settledInvoices: number;
  onTimeInvoices: number;
  onTimeRatio: number | null;
  averageDaysBeyondTerms: number | null;
  worstDaysOverdue: number | null;
  writeOffs: number;
}

export interface CreditAssessedV1 {
  assessmentId: string;
  customerId: string;
  score: number;
  grade: CreditGrade;
  factors: CreditFactorV1[];
  policyVersion: number;
  inputs: { paymentHistory: PaymentHistoryV1; financials: Omit<CreditFinancialsRecordedV1, 'customerId' | 'recordedBy' | 'recordedOn'> | null };
  assessedBy: string;
  assessedOn: string;
}

export interface CreditLimitRequestedV1 {
  requestId: string;
  customerId: string;
  amount: number;
  currency: string;
  paymentTermsDays: number;
  reason: string;
  requestedBy: string;
  requestedOn: string;
}

/** The first of two approvals a limit above the policy's threshold needs. */
export interface CreditLimitApprovalRecordedV1 {
  requestId: string;
  customerId: string;
  approvedBy: string;
  approvedOn: string;
  approvalsRequired: number;
  grade: CreditGrade;
  policyVersion: number;
  inputs: LimitDecisionInputsV1;
  reason?: string;
}

export interface CreditLimitRejectedV1 {
  requestId: string;
  customerId: string;
  rejectedBy: string;
  reason: string;
  rejectedOn: string;
  policyVersion: number;
}

export interface CreditReviewBecameDueV1 {
  customerId: string;
  requestId: string | null;
  limit: number;
  currency: string;
  approvedOn: string;
  dueOn: string;
  businessDate: string;
}

export interface ScoringWeightsV1 {
  onTimeRatio: number; averageDaysBeyondTerms: number; worstDaysOverdue: number; writeOffs: number;
  annualRevenue: number; debtRatio: number; currentRatio: number; yearsInBusiness: number;
}

/** One version of the credit rules (DOMAIN.md "Credit" holds the defaults). */
export interface CreditPolicyRulesV1 {
  scoringWeights: ScoringWeightsV1;
  /** Lowest score of each grade; D is everything below C. */
  gradeCutoffs: { A: number; B: number; C: number };
  /** Longest payment terms a limit may carry per grade; 0 means no credit (cash in advance). */
  maxPaymentTermsDays: Record<CreditGrade, number>;
  /** Limits above this (minor units) need a second, different approver. */
  secondApproverThreshold: number;
  holdRules: HoldRulesV1;
  reviewIntervalMonths: number;
}

export interface CreditPolicyChangedV1 {
  /** The policy stream's version: what every decision cites as `policyVersion`. */
  version: number;
  policy: CreditPolicyRulesV1;
  changedBy: string;
  changedOn: string;
}

export interface CreditBusinessDayClosedV1 { businessDate: string; closedBy: string }

const money = obj({ amount: int(), currency: currency() });
const grade = () => str({ enum: [...CREDIT_GRADES] });
const causeCode = () => str({ enum: [...HOLD_CAUSES] });
const holdCause = obj({ code: causeCode(), detail: str(), eventIds: arr(str()) });
const holdRules = obj({ exposureOverLimit: bool(), maxDaysOverdue: int(), dunningLevel: int() });
const holdInputs = obj({
  factsVersion: int(), asOfDate: nullable(date()), exposure: arr(money), limit: nullable(money),
  oldestUnpaidDueDate: nullable(date()), daysOverdue: nullable(int()), worstDunningLevel: int(), rules: holdRules,
});
const limitInputs = obj({
  amount: int(), currency: currency(), paymentTermsDays: int(), assessmentId: uuid(), score: int(), grade: grade(),
  maxPaymentTermsDays: int(), secondApproverThreshold: int(),
});
const byGrade = obj({ A: int(), B: int(), C: int(), D: int() });
const policyRules = obj({
  scoringWeights: obj({
    onTimeRatio: int(), averageDaysBeyondTerms: int(), worstDaysOverdue: int(), writeOffs: int(),
    annualRevenue: int(), debtRatio: int(), currentRatio: int(), yearsInBusiness: int(),
  }),
  gradeCutoffs: obj({ A: int(), B: int(), C: int() }),
  maxPaymentTermsDays: byGrade,
  secondApproverThreshold: int(),
  holdRules,
  reviewIntervalMonths: int(),
});
const financials = obj({ annualRevenue: int(), debtRatio: num(), currentRatio: num(), yearsInBusiness: int(), asOf: date() });
const paymentHistory = obj({
  factsVersion: int(), asOfDate: nullable(date()), invoices: int(), settledInvoices: int(), onTimeInvoices: int(),
  onTimeRatio: nullable(num()), averageDaysBeyondTerms: nullable(num()), worstDaysOverdue: nullable(int()), writeOffs: int(),
});

export const creditContracts: EventContract[] = [
  { type: 'CreditLimitApproved', version: 1, schema: obj({ customerId: uuid(), limit: int(), currency: currency(), approvedBy: str(), approvedOn: str() }) },
  { type: 'CreditHoldPlaced', version: 1, schema: obj({ customerId: uuid(), reason: str(), placedOn: str() }) },
  { type: 'CreditHoldReleased', version: 1, schema: obj({ customerId: uuid(), reason: str(), releasedOn: str() }) },
  { type: 'CreditLimitApproved', version: 2, schema: obj({
    customerId: uuid(), limit: int(), currency: currency(), approvedBy: str(), approvedOn: str(),
    paymentTermsDays: nullable(int()), grade: nullable(str()), policyVersion: nullable(int()), requestId: nullable(uuid()),
    approvers: arr(str()), reviewDueOn: nullable(date()), inputs: nullable(limitInputs), 'reason?': str(),
  }) },
  { type: 'CreditHoldPlaced', version: 2, schema: obj({
    customerId: uuid(), reason: str(), placedOn: str(), causes: arr(holdCause), facts: arr(str()), policyVersion: nullable(int()),
    placedBy: nullable(str()), automatic: bool(), inputs: nullable(holdInputs),
  }) },
  { type: 'CreditHoldReleased', version: 2, schema: obj({
    customerId: uuid(), reason: str(), releasedOn: str(), causes: arr(holdCause), facts: arr(str()), policyVersion: nullable(int()),
    releasedBy: nullable(str()), automatic: bool(), overridden: arr(causeCode()), inputs: nullable(holdInputs),
  }) },
  { type: 'CreditHoldCausesChanged', version: 1, schema: obj({
    customerId: uuid(), causes: arr(holdCause), added: arr(causeCode()), removed: arr(causeCode()), facts: arr(str()),
    policyVersion: int(), changedBy: str(), changedOn: date(), inputs: nullable(holdInputs),
  }) },
  { type: 'CreditHoldOverrideLapsed', version: 1, schema: obj({
    customerId: uuid(), causes: arr(causeCode()), facts: arr(str()), policyVersion: int(), lapsedOn: date(), inputs: holdInputs,
  }) },
  { type: 'CreditFinancialsRecorded', version: 1, schema: obj({
    customerId: uuid(), annualRevenue: int(), debtRatio: num(), currentRatio: num(), yearsInBusiness: int(), asOf: date(),
    recordedBy: str(), recordedOn: date(),
  }) },
  { type: 'CreditAssessed', version: 1, schema: obj({
    assessmentId: uuid(), customerId: uuid(), score: int(), grade: grade(),
    factors: arr(obj({ name: str(), input: nullable(num()), points: int(), maxPoints: int(), note: str() })),
    policyVersion: int(), inputs: obj({ paymentHistory, financials: nullable(financials) }), assessedBy: str(), assessedOn: date(),
  }) },
  { type: 'CreditLimitRequested', version: 1, schema: obj({
    requestId: uuid(), customerId: uuid(), amount: int(), currency: currency(), paymentTermsDays: int(), reason: str(),
    requestedBy: str(), requestedOn: date(),
  }) },
  { type: 'CreditLimitApprovalRecorded', version: 1, schema: obj({
    requestId: uuid(), customerId: uuid(), approvedBy: str(), approvedOn: date(), approvalsRequired: int(), grade: grade(),
    policyVersion: int(), inputs: limitInputs, 'reason?': str(),
  }) },
  { type: 'CreditLimitRejected', version: 1, schema: obj({
    requestId: uuid(), customerId: uuid(), rejectedBy: str(), reason: str(), rejectedOn: date(), policyVersion: int(),
  }) },
  { type: 'CreditReviewBecameDue', version: 1, schema: obj({
    customerId: uuid(), requestId: nullable(uuid()), limit: int(), currency: currency(), approvedOn: str(), dueOn: date(), businessDate: date(),
  }) },
  { type: 'CreditPolicyChanged', version: 1, schema: obj({ version: int(), policy: policyRules, changedBy: str(), changedOn: date() }) },
  { type: 'CreditBusinessDayClosed', version: 1, schema: obj({ businessDate: date(), closedBy: str() }) },
];

/** v1 → v2: events from before credit recorded terms, grades and provenance. */
export const creditUpcasters = [
  {
    type: 'CreditLimitApproved', fromVersion: 1,
    upcast: (d: Record<string, unknown>) => ({
      paymentTermsDays: null, grade: null, policyVersion: null, requestId: null, approvers: [d.approvedBy], reviewDueOn: null, inputs: null, ...d,
    }),
  },
  {
    type: 'CreditHoldPlaced', fromVersion: 1,
    upcast: (d: Record<string, unknown>) => ({ causes: [], facts: [], policyVersion: null, placedBy: null, automatic: false, inputs: null, ...d }),
  },
  {
    type: 'CreditHoldReleased', fromVersion: 1,
    upcast: (d: Record<string, unknown>) => ({
      causes: [], facts: [], policyVersion: null, releasedBy: null, automatic: false, overridden: [], inputs: null, ...d,
    }),
  },
];
