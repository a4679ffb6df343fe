import { EventEnvelope, isEventOf } from '@crm/contracts';

export interface LimitRequestDoc {
  id: string;
  customerId: string;
  amount: number;
  currency: string;
  paymentTermsDays: number;
  reason: string;
  status: 'pending' | 'awaiting-second-approval' | 'approved' | 'rejected';
  requestedBy: string;
  requestedOn: string;
  requestedAt: string;
  approvals: Array<{ by: string; on: string }>;
  rejection: { by: string; on: string; reason: string } | null;
}

export function limitRequestKey(e: EventEnvelope): string | undefined {
  if (isEventOf(e, 'CreditLimitRequested', 'CreditLimitApprovalRecorded', 'CreditLimitRejected')) return e.data.requestId;
  if (isEventOf(e, 'CreditLimitApproved')) return e.data.requestId ?? undefined;
  return undefined;
}

export function evolveLimitRequest(doc: LimitRequestDoc | undefined, e: EventEnvelope): LimitRequestDoc | null {
  if (isEventOf(e, 'CreditLimitRequested')) {
    const d = e.data;
    return { id: d.requestId, customerId: d.customerId, amount: d.amount, currency: d.currency, paymentTermsDays: d.paymentTermsDays,
      reason: d.reason, status: 'pending', requestedBy: d.requestedBy, requestedOn: d.requestedOn, requestedAt: e.time, approvals: [], rejection: null };
  }
  if (!doc) return null;
  if (isEventOf(e, 'CreditLimitApprovalRecorded')) {
    return { ...doc, status: 'awaiting-second-approval', approvals: [...doc.approvals, { by: e.data.approvedBy, on: e.data.approvedOn }] };
  }
  if (isEventOf(e, 'CreditLimitApproved')) {
    return { ...doc, status: 'approved', approvals: [...doc.approvals, { by: e.data.approvedBy, on: e.data.approvedOn }] };
  }
  if (isEventOf(e, 'CreditLimitRejected')) {
    return { ...doc, status: 'rejected', rejection: { by: e.data.rejectedBy, on: e.data.rejectedOn, reason: e.data.reason } };
  }
  return doc;
}
