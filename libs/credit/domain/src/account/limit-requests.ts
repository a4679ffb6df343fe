import { addMonths, domainError, LimitDecisionInputsV1, PaymentHistoryV1 } from '@crm/contracts';
import { HoldFacts } from '../facts/receivables-facts';
import { CreditPolicy } from '../policy/credit-policy';
import { assessCredit, unknownCustomer } from './financials-and-assessment';
import { CreditAccountEvent, event } from './credit-account.events';
import { CreditAccountState, CreditLimitState, LimitRequestState } from './credit-account.state';
import { holdDecision } from './holds';

export interface RequestCreditLimit {
  type: 'RequestCreditLimit';
  data: { requestId: string; customerId: string; amount: number; currency: string; paymentTermsDays: number; reason: string; requestedBy: string; requestedOn: string };
  context: { customerKnown: boolean };
}

export interface ApproveCreditLimit {
  type: 'ApproveCreditLimit';
  data: { requestId: string; approvedBy: string; approvedOn: string; reason?: string };
  /**
   * The policy in force; credit's copy of receivables' facts (a new limit can put the customer
   * on hold or off it); and what an assessment on the spot needs when none is recorded yet.
   */
  context: { policy: CreditPolicy; facts: HoldFacts | null; assessment?: { assessmentId: string; paymentHistory: PaymentHistoryV1 } };
}

export interface RejectCreditLimit {
  type: 'RejectCreditLimit';
  data: { requestId: string; rejectedBy: string; reason: string; rejectedOn: string };
  context: { policy: CreditPolicy };
}

export function requestCreditLimit({ data, context }: RequestCreditLimit, state: CreditAccountState): CreditAccountEvent[] {
  if (!context.customerKnown) throw unknownCustomer(data.customerId);
  if (state.requests[data.requestId]) throw domainError('limit-request-exists', 'conflict', `limit request ${data.requestId} already exists`);
  return [event('CreditLimitRequested', data)];
}

function openRequest(state: CreditAccountState, requestId: string): LimitRequestState {
  const request = state.requests[requestId];
  if (!request) throw domainError('limit-request-not-found', 'not-found', `limit request ${requestId} not found`);
  if (request.status === 'approved' || request.status === 'rejected') {
    throw domainError('limit-request-already-decided', 'conflict', `limit request ${requestId} is already ${request.status}`, undefined, { requestStatus: request.status });
  }
  return request;
}

/** The grade's terms rule: D (or any grade whose maximum is 0) gets no credit; longer terms than the grade's maximum are refused. */
function checkTerms(request: LimitRequestState, assessment: CreditAccountState['assessment'], policy: CreditPolicy): LimitDecisionInputsV1 {
  if (!assessment) {
    throw domainError('assessment-required', 'refused', 'the customer has no credit assessment yet: assess the customer before approving a limit', 'customerId');
  }
  const maxPaymentTermsDays = policy.rules.maxPaymentTermsDays[assessment.grade];
  const details = { grade: assessment.grade, maxPaymentTermsDays, policyVersion: policy.version };
  if (maxPaymentTermsDays <= 0) {
    throw domainError('grade-allows-no-credit', 'refused', `grade ${assessment.grade} gets no credit (cash in advance) under policy version ${policy.version}`, 'paymentTermsDays', details);
  }
  if (request.paymentTermsDays > maxPaymentTermsDays) {
    throw domainError('terms-exceed-grade-maximum', 'refused',
      `grade ${assessment.grade} allows at most net ${maxPaymentTermsDays} days, the request asks for ${request.paymentTermsDays}`, 'paymentTermsDays', details);
  }
  return {
    amount: request.amount, currency: request.currency, paymentTermsDays: request.paymentTermsDays, assessmentId: assessment.assessmentId,
    score: assessment.score, grade: assessment.grade, maxPaymentTermsDays, secondApproverThreshold: policy.rules.secondApproverThreshold,
  };
}

/**
 * Maker-checker: the requester never approves; above the policy's threshold a second approver,
 * other than the first, makes the approval final. The threshold in force at the first approval
 * governs the request (a later policy change neither adds nor removes the second approver; the
 * final approval's inputs cite that threshold). The grade's terms rule is checked at each approval,
 * under the policy then in force, whose version the approval cites.
 */
export function approveCreditLimit({ data, context }: ApproveCreditLimit, state: CreditAccountState): CreditAccountEvent[] {
  const request = openRequest(state, data.requestId);
  if (request.requestedBy === data.approvedBy) {
    throw domainError('separation-of-duties', 'forbidden', 'the requester of a credit limit cannot approve it');
  }
  const governing = request.governing;
  if (request.approvals.includes(data.approvedBy)) {
    const why = governing
      ? `its first approval, under policy version ${governing.policyVersion}, found ${request.amount} ${request.currency} above the second-approver threshold`
        + `${governing.secondApproverThreshold === null ? '' : ` of ${governing.secondApproverThreshold}`}, and that threshold governs the request`
      : 'it needs another approver';
    throw domainError('separation-of-duties', 'forbidden', `limit request ${request.requestId} needs a second approver other than ${data.approvedBy}: ${why}`,
      undefined, { firstApprover: data.approvedBy, ...(governing ? { policyVersion: governing.policyVersion, secondApproverThreshold: governing.secondApproverThreshold } : {}) });
  }
  const customerId = state.customerId!;
  // No grade on record: grade the customer now (recorded first), on the facts and financials credit has.
  const assessed = !state.assessment && context.assessment ? assessCredit({ type: 'AssessCredit',
    data: { assessmentId: context.assessment.assessmentId, customerId, assessedBy: data.approvedBy, assessedOn: data.approvedOn },
    context: { customerKnown: true, paymentHistory: context.assessment.paymentHistory, policy: context.policy } }, state) : [];
  const assessment = assessed[0]?.type === 'CreditAssessed'
    ? { assessmentId: assessed[0].data.assessmentId, score: assessed[0].data.score, grade: assessed[0].data.grade, policyVersion: assessed[0].data.policyVersion, assessedOn: data.approvedOn }
    : state.assessment;
  const checked = checkTerms(request, assessment, context.policy);
  // The threshold in force at the first approval governs the request: a later policy neither adds nor removes the second approver.
  const inputs = governing && governing.secondApproverThreshold !== null ? { ...checked, secondApproverThreshold: governing.secondApproverThreshold } : checked;
  const approvalsRequired = governing ? governing.approvalsRequired : (request.amount > context.policy.rules.secondApproverThreshold ? 2 : 1);
  if (request.approvals.length + 1 < approvalsRequired) {
    return [...assessed, event('CreditLimitApprovalRecorded', {
      requestId: request.requestId, customerId, approvedBy: data.approvedBy, approvedOn: data.approvedOn, approvalsRequired,
      grade: inputs.grade, policyVersion: context.policy.version, inputs, ...(data.reason ? { reason: data.reason } : {}),
    })];
  }
  const reviewDueOn = addMonths(data.approvedOn, context.policy.rules.reviewIntervalMonths);
  const approved = event('CreditLimitApproved', {
    customerId, limit: request.amount, currency: request.currency, approvedBy: data.approvedBy, approvedOn: data.approvedOn,
    paymentTermsDays: request.paymentTermsDays, grade: inputs.grade, policyVersion: context.policy.version, requestId: request.requestId,
    approvers: [...request.approvals, data.approvedBy], reviewDueOn, inputs, ...(data.reason ? { reason: data.reason } : {}),
  });
  const limit: CreditLimitState = {
    requestId: request.requestId, amount: request.amount, currency: request.currency, paymentTermsDays: request.paymentTermsDays,
    grade: inputs.grade, approvedOn: data.approvedOn, reviewDueOn, reviewRecorded: false,
  };
  // The new limit may be below what is owed already (or lift an exposure hold).
  const facts = context.facts && context.facts.version >= state.factsVersion ? context.facts : null;
  return [...assessed, approved, ...(facts ? holdDecision(state, facts, limit, context.policy, data.approvedOn) : [])];
}

export function rejectCreditLimit({ data, context }: RejectCreditLimit, state: CreditAccountState): CreditAccountEvent[] {
  openRequest(state, data.requestId);
  return [event('CreditLimitRejected', { ...data, customerId: state.customerId!, policyVersion: context.policy.version })];
}
