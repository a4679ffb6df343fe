import {
  CreditAssessedV1, CreditBusinessDayClosedV1, CreditFinancialsRecordedV1, CreditHoldCausesChangedV1, CreditHoldOverrideLapsedV1,
  CreditHoldPlacedV2, CreditHoldReleasedV2, CreditLimitApprovalRecordedV1, CreditLimitApprovedV2, CreditLimitRejectedV1,
  CreditLimitRequestedV1, CreditPolicyChangedV1, CreditReviewBecameDueV1,
} from './credit/credit-events';
import {
  AccountManagerAssignedV1, ContactAddedV1, ContactRemovedV1, ContactUpdatedV1, CustomerArchivedV1, CustomerConsentChangedV1,
  CustomerPersonalDataErasedV1, CustomerProfileUpdatedV1, CustomerReactivatedV1, CustomerRegisteredV1,
  CustomerAbcClassChangedV1, CustomerLifecycleStageChangedV1, CustomerValueScoredV1, CustomersBusinessDayClosedV1, ClassificationPolicyChangedV1, ContactCareDateDueV1,
} from './customers/customer-events';
import { EventEnvelope } from './envelope';
import { ChainHeadsAnchoredV1 } from './platform/audit-events';
import { ChurnPolicyChangedV1, ChurnRiskClearedV1, ChurnRiskFlaggedV1, ChurnRiskScoredV1 } from './engagement/churn-events';
import {
  ComplaintAcknowledgedV1, ComplaintRaisedV1, ComplaintResolvedV1, ComplaintSlaBreachedV1, ComplaintSlaPolicyChangedV1, SurveyRequestedV1,
  SurveyResponseRecordedV1,
} from './engagement/complaint-events';
import { EngagementBusinessDayClosedV1 } from './engagement/engagement-events';
import {
  CareHolidaysConfiguredV1, CareTaskCreatedV1, ContactPlanChangedV1, ContactPlanPolicyChangedV1, FollowUpCompletedV1, FollowUpMissedV1,
  FollowUpScheduledV1, InteractionRecordedV1,
} from './engagement/interaction-events';
import {
  LoyaltyDowngradeCancelledV1, LoyaltyDowngradePendingV1, LoyaltyPointsEarnedV1, LoyaltyPointsExpiredV1, LoyaltyPointsRedeemedV1, LoyaltyPointsReversedV1, LoyaltyPolicyChangedV1, LoyaltyTierChangedV1,
} from './engagement/loyalty-events';
import {
  AccountingPeriodClosedV1, BusinessDayClosedV1, CreditNoteIssuedV1, DunningLevelRaisedV1, InvoiceBecameOverdueV1, InvoiceDisputedV1,
  InvoiceDisputeResolvedV1, InvoiceIssuedV1, PaymentReceivedV1, PaymentReversedV1, PromiseToPayOutcomeV1,
  PaymentAllocatedV1, CreditBalanceAppliedV1, CreditBalanceRefundedV1, ReceivablesPolicyChangedV1, WorklistSegmentPolicyChangedV1,
  PromiseToPayRecordedV1, WriteOffApprovedV1, WriteOffRejectedV1, WriteOffRequestedV1,
} from './receivables/receivables-events';

/** Event type → payload of its current version, per publishing service. */
export interface CustomersEventMap {
  CustomerRegistered: CustomerRegisteredV1;
  CustomerPersonalDataErased: CustomerPersonalDataErasedV1;
  CustomerProfileUpdated: CustomerProfileUpdatedV1;
  ContactAdded: ContactAddedV1;
  ContactUpdated: ContactUpdatedV1;
  ContactRemoved: ContactRemovedV1;
  CustomerConsentChanged: CustomerConsentChangedV1;
  AccountManagerAssigned: AccountManagerAssignedV1;
  CustomerArchived: CustomerArchivedV1;
  CustomerReactivated: CustomerReactivatedV1;
  CustomerAbcClassChanged: CustomerAbcClassChangedV1;
  CustomerLifecycleStageChanged: CustomerLifecycleStageChangedV1;
  CustomerValueScored: CustomerValueScoredV1;
  CustomersBusinessDayClosed: CustomersBusinessDayClosedV1;
  ClassificationPolicyChanged: ClassificationPolicyChangedV1;
  ContactCareDateDue: ContactCareDateDueV1;
}

export interface CreditEventMap {
  CreditFinancialsRecorded: CreditFinancialsRecordedV1;
  CreditAssessed: CreditAssessedV1;
  CreditLimitRequested: CreditLimitRequestedV1;
  CreditLimitApprovalRecorded: CreditLimitApprovalRecordedV1;
  CreditLimitApproved: CreditLimitApprovedV2;
  CreditLimitRejected: CreditLimitRejectedV1;
  CreditHoldPlaced: CreditHoldPlacedV2;
  CreditHoldReleased: CreditHoldReleasedV2;
  CreditHoldCausesChanged: CreditHoldCausesChangedV1;
  CreditHoldOverrideLapsed: CreditHoldOverrideLapsedV1;
  CreditReviewBecameDue: CreditReviewBecameDueV1;
  CreditPolicyChanged: CreditPolicyChangedV1;
  CreditBusinessDayClosed: CreditBusinessDayClosedV1;
}

/** The schema version each credit event type is written in now (the others are at 1). */
export const CREDIT_EVENT_VERSIONS: { [T in keyof CreditEventMap]?: number } = {
  CreditLimitApproved: 2, CreditHoldPlaced: 2, CreditHoldReleased: 2,
};

export interface ReceivablesEventMap {
  InvoiceIssued: InvoiceIssuedV1;
  PaymentReceived: PaymentReceivedV1;
  PaymentReversed: PaymentReversedV1;
  PaymentAllocated: PaymentAllocatedV1;
  CreditBalanceApplied: CreditBalanceAppliedV1;
  CreditBalanceRefunded: CreditBalanceRefundedV1;
  ReceivablesPolicyChanged: ReceivablesPolicyChangedV1;
  CreditNoteIssued: CreditNoteIssuedV1;
  InvoiceDisputed: InvoiceDisputedV1;
  InvoiceDisputeResolved: InvoiceDisputeResolvedV1;
  PromiseToPayRecorded: PromiseToPayRecordedV1;
  PromiseToPayKept: PromiseToPayOutcomeV1;
  PromiseToPayPartiallyKept: PromiseToPayOutcomeV1;
  PromiseToPayBroken: PromiseToPayOutcomeV1;
  WriteOffRequested: WriteOffRequestedV1;
  WriteOffApproved: WriteOffApprovedV1;
  WriteOffRejected: WriteOffRejectedV1;
  InvoiceBecameOverdue: InvoiceBecameOverdueV1;
  DunningLevelRaised: DunningLevelRaisedV1;
  BusinessDayClosed: BusinessDayClosedV1;
  AccountingPeriodClosed: AccountingPeriodClosedV1;
  WorklistSegmentPolicyChanged: WorklistSegmentPolicyChangedV1;
}

export interface EngagementEventMap {
  LoyaltyPointsEarned: LoyaltyPointsEarnedV1;
  LoyaltyPointsReversed: LoyaltyPointsReversedV1;
  LoyaltyPointsRedeemed: LoyaltyPointsRedeemedV1;
  LoyaltyPointsExpired: LoyaltyPointsExpiredV1;
  LoyaltyTierChanged: LoyaltyTierChangedV1;
  LoyaltyPolicyChanged: LoyaltyPolicyChangedV1;
  LoyaltyDowngradePending: LoyaltyDowngradePendingV1;
  LoyaltyDowngradeCancelled: LoyaltyDowngradeCancelledV1;
  ComplaintRaised: ComplaintRaisedV1;
  ComplaintAcknowledged: ComplaintAcknowledgedV1;
  ComplaintResolved: ComplaintResolvedV1;
  ComplaintSlaBreached: ComplaintSlaBreachedV1;
  ComplaintSlaPolicyChanged: ComplaintSlaPolicyChangedV1;
  SurveyRequested: SurveyRequestedV1;
  SurveyResponseRecorded: SurveyResponseRecordedV1;
  InteractionRecorded: InteractionRecordedV1;
  FollowUpScheduled: FollowUpScheduledV1;
  FollowUpCompleted: FollowUpCompletedV1;
  FollowUpMissed: FollowUpMissedV1;
  ContactPlanChanged: ContactPlanChangedV1;
  ContactPlanPolicyChanged: ContactPlanPolicyChangedV1;
  CareTaskCreated: CareTaskCreatedV1;
  CareHolidaysConfigured: CareHolidaysConfiguredV1;
  ChurnRiskFlagged: ChurnRiskFlaggedV1;
  ChurnRiskCleared: ChurnRiskClearedV1;
  ChurnRiskScored: ChurnRiskScoredV1;
  ChurnPolicyChanged: ChurnPolicyChangedV1;
  EngagementBusinessDayClosed: EngagementBusinessDayClosedV1;
}

/** Events every service publishes on its own topic (the platform's, not a domain's). */
export interface PlatformEventMap {
  ChainHeadsAnchored: ChainHeadsAnchoredV1;
}

/** Every published event of every service (types are unique across services, but for the platform's). */
export type PublishedEventMap = CustomersEventMap & CreditEventMap & ReceivablesEventMap & EngagementEventMap & PlatformEventMap;

/** A decider's event of map `M`: `data` narrows by `type`, no casts needed. */
export type TypedEvent<M, K extends keyof M = keyof M> = {
  [T in K]: { type: T; schemaVersion: number; data: M[T] };
}[K];

/** An envelope whose `data` narrows by `type` (after upcasting, so always the current version). */
export type TypedEnvelope<M, K extends keyof M = keyof M> = {
  [T in K]: Omit<EventEnvelope<M[T] & object>, 'type'> & { type: T };
}[K];

/**
 * Narrows an envelope read from Kafka or the store to a published type. Consumers see events
 * after upcasting, so the payload is the current version's.
 */
export function isEventOf<K extends keyof PublishedEventMap>(
  event: { type: string }, ...types: K[]
): event is TypedEnvelope<PublishedEventMap, K> {
  return (types as string[]).includes(event.type);
}
