import { CreditFinancialsRecordedV1, CreditGrade, HoldCauseCode, HoldCauseV1 } from '@crm/contracts';
import { CreditAccountEvent } from './credit-account.events';

export type LimitRequestStatus = 'pending' | 'awaiting-second-approval' | 'approved' | 'rejected';

export interface LimitRequestState {
  requestId: string;
  amount: number;
  currency: string;
  paymentTermsDays: number;
  requestedBy: string;
  status: LimitRequestStatus;
  approvals: string[];
  /** Each approval with its business date, as the API shows it (`[{ by, on }]`). */
  approvalRecords: Array<{ by: string; on: string }>;
  /**
   * What the first approval fixed: under the threshold in force then the request needs this many
   * approvals, whatever later policy versions say (ADR 15). Null before a first approval.
   */
  governing: { policyVersion: number; secondApproverThreshold: number | null; approvalsRequired: number } | null;
}

export interface CreditLimitState {
  requestId: string | null;
  amount: number;
  currency: string;
  paymentTermsDays: number | null;
  grade: CreditGrade | null;
  approvedOn: string;
  reviewDueOn: string | null;
  reviewRecorded: boolean;
}

export interface HoldState {
  manual: HoldCauseV1 | null;
  /** Automatic causes in force. */
  auto: HoldCauseV1[];
  /** Automatic causes a manual release set aside (until they clear). */
  overridden: HoldCauseCode[];
}

export interface CreditAccountState {
  customerId: string | null;
  financials: Omit<CreditFinancialsRecordedV1, 'customerId'> | null;
  assessment: { assessmentId: string; score: number; grade: CreditGrade; policyVersion: number; assessedOn: string } | null;
  requests: Record<string, LimitRequestState>;
  limit: CreditLimitState | null;
  hold: HoldState;
  /** Receivables facts version the last hold decision used: older facts never overrule it. */
  factsVersion: number;
  /** Latest business date a hold decision counted days overdue to. */
  asOfDate: string | null;
}

export const initialCreditAccount = (): CreditAccountState => ({
  customerId: null, financials: null, assessment: null, requests: {}, limit: null,
  hold: { manual: null, auto: [], overridden: [] }, factsVersion: 0, asOfDate: null,
});

export const isOnHold = (hold: HoldState) => hold.manual !== null || hold.auto.length > 0;

export function holdCausesOf(hold: HoldState): HoldCauseV1[] {
  return [...(hold.manual ? [hold.manual] : []), ...hold.auto];
}

function setCauses(state: CreditAccountState, causes: HoldCauseV1[]): void {
  state.hold.manual = causes.find((c) => c.code === 'manual') ?? null;
  state.hold.auto = causes.filter((c) => c.code !== 'manual');
}

function seenFacts(state: CreditAccountState, inputs: { factsVersion: number; asOfDate: string | null } | null): void {
  if (!inputs) return;
  state.factsVersion = Math.max(state.factsVersion, inputs.factsVersion);
  if (inputs.asOfDate && (!state.asOfDate || inputs.asOfDate > state.asOfDate)) state.asOfDate = inputs.asOfDate;
}

/** Folds one event into the state, in place (ADR 12). */
export function evolveCreditAccount(state: CreditAccountState, e: CreditAccountEvent): CreditAccountState {
  if ('customerId' in e.data && typeof e.data.customerId === 'string') state.customerId = e.data.customerId;
  switch (e.type) {
    case 'CreditFinancialsRecorded': {
      const { customerId: _c, ...financials } = e.data;
      state.financials = financials;
      break;
    }
    case 'CreditAssessed':
      state.assessment = { assessmentId: e.data.assessmentId, score: e.data.score, grade: e.data.grade, policyVersion: e.data.policyVersion, assessedOn: e.data.assessedOn };
      break;
    case 'CreditLimitRequested':
      state.requests[e.data.requestId] = {
        requestId: e.data.requestId, amount: e.data.amount, currency: e.data.currency, paymentTermsDays: e.data.paymentTermsDays,
        requestedBy: e.data.requestedBy, status: 'pending', approvals: [], approvalRecords: [], governing: null,
      };
      break;
    case 'CreditLimitApprovalRecorded': {
      const request = state.requests[e.data.requestId];
      if (request) {
        request.status = 'awaiting-second-approval';
        request.approvals.push(e.data.approvedBy);
        request.approvalRecords.push({ by: e.data.approvedBy, on: e.data.approvedOn });
        request.governing ??= { policyVersion: e.data.policyVersion, secondApproverThreshold: e.data.inputs?.secondApproverThreshold ?? null,
          approvalsRequired: e.data.approvalsRequired };
      }
      break;
    }
    case 'CreditLimitApproved': {
      const request = e.data.requestId ? state.requests[e.data.requestId] : undefined;
      if (request) {
        request.status = 'approved';
        request.approvals = [...e.data.approvers];
        request.approvalRecords.push({ by: e.data.approvedBy, on: e.data.approvedOn });
      }
      state.limit = {
        requestId: e.data.requestId, amount: e.data.limit, currency: e.data.currency, paymentTermsDays: e.data.paymentTermsDays,
        grade: e.data.grade, approvedOn: e.data.approvedOn, reviewDueOn: e.data.reviewDueOn, reviewRecorded: false,
      };
      break;
    }
    case 'CreditLimitRejected': {
      const request = state.requests[e.data.requestId];
      if (request) request.status = 'rejected';
      break;
    }
    case 'CreditHoldPlaced':
    case 'CreditHoldCausesChanged':
      setCauses(state, e.data.causes);
      seenFacts(state, e.data.inputs);
      break;
    case 'CreditHoldReleased':
      state.hold = { manual: null, auto: [], overridden: [...e.data.overridden] };
      seenFacts(state, e.data.inputs);
      break;
    case 'CreditHoldOverrideLapsed':
      state.hold.overridden = state.hold.overridden.filter((c) => !e.data.causes.includes(c));
      seenFacts(state, e.data.inputs);
      break;
    case 'CreditReviewBecameDue':
      if (state.limit) state.limit.reviewRecorded = true;
      break;
    default: {
      const unhandled: never = e;
      throw new Error(`unknown event ${(unhandled as { type: string }).type}`);
    }
  }
  return state;
}
