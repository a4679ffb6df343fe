import { EventEnvelope, isEventOf } from '@crm/contracts';

/** One decision credit took about a customer: who (or which policy), when, why, on what inputs, under which policy. */
export interface CreditDecisionDoc {
  id: string;
  customerId: string;
  streamVersion: number;
  at: string;
  type: string;
  decision: 'assessment' | 'limit-first-approval' | 'limit-approval' | 'limit-rejection'
    | 'hold-placed' | 'hold-released' | 'hold-causes-changed' | 'hold-override-lapsed';
  by: string;
  automatic: boolean;
  why: string;
  inputs: unknown;
  outcome: Record<string, unknown>;
  /** Event ids the decision rests on (receivables' facts for holds). */
  facts: string[];
  policyVersion: number | null;
}

export function creditDecisionKey(e: EventEnvelope): string | undefined {
  return isEventOf(e, 'CreditAssessed', 'CreditLimitApprovalRecorded', 'CreditLimitApproved', 'CreditLimitRejected', 'CreditHoldPlaced',
    'CreditHoldReleased', 'CreditHoldCausesChanged', 'CreditHoldOverrideLapsed') ? e.id : undefined;
}

export function evolveCreditDecision(doc: CreditDecisionDoc | undefined, e: EventEnvelope): CreditDecisionDoc | null {
  const base = { id: e.id, customerId: e.subject, streamVersion: e.streamVersion, at: e.time, type: e.type, by: e.metadata.actor.id };
  if (isEventOf(e, 'CreditAssessed')) {
    const d = e.data;
    return { ...base, decision: 'assessment', automatic: false, why: `score ${d.score}: grade ${d.grade}`, inputs: d.inputs,
      outcome: { assessmentId: d.assessmentId, score: d.score, grade: d.grade, factors: d.factors }, facts: [], policyVersion: d.policyVersion };
  }
  if (isEventOf(e, 'CreditLimitApprovalRecorded')) {
    const d = e.data;
    return { ...base, decision: 'limit-first-approval', automatic: false, why: `first of ${d.approvalsRequired} approvals (above ${d.inputs.secondApproverThreshold})`,
      inputs: d.inputs, outcome: { requestId: d.requestId, status: 'awaiting-second-approval', approvedBy: d.approvedBy }, facts: [], policyVersion: d.policyVersion };
  }
  if (isEventOf(e, 'CreditLimitApproved')) {
    const d = e.data;
    return { ...base, decision: 'limit-approval', automatic: false,
      why: `limit ${d.limit} ${d.currency} at net ${d.paymentTermsDays ?? '?'} days for grade ${d.grade ?? '?'}`, inputs: d.inputs,
      outcome: { requestId: d.requestId, status: 'approved', limit: d.limit, currency: d.currency, paymentTermsDays: d.paymentTermsDays, approvers: d.approvers },
      facts: [], policyVersion: d.policyVersion };
  }
  if (isEventOf(e, 'CreditLimitRejected')) {
    const d = e.data;
    return { ...base, decision: 'limit-rejection', automatic: false, why: d.reason, inputs: null, outcome: { requestId: d.requestId, status: 'rejected' },
      facts: [], policyVersion: d.policyVersion };
  }
  if (isEventOf(e, 'CreditHoldPlaced')) {
    const d = e.data;
    return { ...base, decision: 'hold-placed', automatic: d.automatic, why: d.reason, inputs: d.inputs, outcome: { onHold: true, causes: d.causes },
      facts: d.facts, policyVersion: d.policyVersion };
  }
  if (isEventOf(e, 'CreditHoldReleased')) {
    const d = e.data;
    return { ...base, decision: 'hold-released', automatic: d.automatic, why: d.reason, inputs: d.inputs,
      outcome: { onHold: false, cleared: d.causes, overridden: d.overridden }, facts: d.facts, policyVersion: d.policyVersion };
  }
  if (isEventOf(e, 'CreditHoldCausesChanged')) {
    const d = e.data;
    return { ...base, decision: 'hold-causes-changed', automatic: d.changedBy.startsWith('policy:'),
      why: `${d.added.length ? `added ${d.added.join(', ')}` : ''}${d.added.length && d.removed.length ? '; ' : ''}${d.removed.length ? `cleared ${d.removed.join(', ')}` : ''}`,
      inputs: d.inputs, outcome: { onHold: true, causes: d.causes }, facts: d.facts, policyVersion: d.policyVersion };
  }
  if (isEventOf(e, 'CreditHoldOverrideLapsed')) {
    const d = e.data;
    return { ...base, decision: 'hold-override-lapsed', automatic: true, why: `set-aside causes cleared: ${d.causes.join(', ')}`, inputs: d.inputs,
      outcome: { lapsed: d.causes }, facts: d.facts, policyVersion: d.policyVersion };
  }
  return doc ?? null;
}
