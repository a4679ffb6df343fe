import { EventEnvelope, FollowUpReason, isEventOf } from '@crm/contracts';

export interface InteractionDoc {
  id: string; customerId: string; channel: string; direction: string; subject: string; outcome: string; occurredAt: string;
  recordedBy: string; nextFollowUpOn: string | null;
}

export interface FollowUpDoc {
  id: string;
  customerId: string;
  accountManager: string | null;
  dueOn: string;
  reason: FollowUpReason;
  source: { kind: FollowUpReason; id: string | null; cadenceDays: number | null; lastContactOn: string | null; planVersion: number | null };
  status: 'due' | 'missed' | 'done';
  missedOn: string | null;
  completedAt: string | null;
  completedBy: string | null;
}

export function interactionKey(e: EventEnvelope): string | undefined {
  return isEventOf(e, 'InteractionRecorded') ? e.data.interactionId : undefined;
}

/** The interactions list: one document per interaction, written once. */
export function evolveInteractionDoc(doc: InteractionDoc | undefined, e: EventEnvelope): InteractionDoc | null {
  if (!isEventOf(e, 'InteractionRecorded')) return doc ?? null;
  const { interactionId, ...rest } = e.data;
  return { id: interactionId, ...rest };
}

export function followUpKey(e: EventEnvelope): string | undefined {
  return isEventOf(e, 'FollowUpScheduled', 'FollowUpCompleted', 'FollowUpMissed') ? e.data.followUpId : undefined;
}

/** The follow-ups list: one document per follow-up, changed in place; a missed one done late keeps its miss date. */
export function evolveFollowUpDoc(doc: FollowUpDoc | undefined, e: EventEnvelope): FollowUpDoc | null {
  if (isEventOf(e, 'FollowUpScheduled')) {
    const d = e.data;
    return { id: d.followUpId, customerId: d.customerId, accountManager: d.accountManager, dueOn: d.dueOn, reason: d.reason, source: d.source,
      status: 'due', missedOn: null, completedAt: null, completedBy: null };
  }
  if (!doc) return null;
  if (isEventOf(e, 'FollowUpMissed')) {
    doc.status = 'missed';
    doc.missedOn = e.data.businessDate;
  } else if (isEventOf(e, 'FollowUpCompleted')) {
    doc.status = 'done';
    doc.completedAt = e.data.completedAt;
    doc.completedBy = e.data.completedBy;
  }
  return doc;
}
