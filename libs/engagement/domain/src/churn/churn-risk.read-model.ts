import { ChurnSignalV1, EventEnvelope, isEventOf } from '@crm/contracts';

/**
 * The retention follow-up of the latest flag. Follow-ups creates it from ChurnRiskFlagged; until
 * its FollowUpScheduled (source: the flag's event id) arrives it is `requested`.
 */
export interface RetentionTask {
  flagEventId: string;
  flaggedOn: string;
  status: 'requested' | 'scheduled' | 'completed' | 'missed';
  followUpId: string | null;
  dueOn: string | null;
  accountManager: string | null;
}

/** One customer's churn risk as last decided (`churn-risk` read model). */
export interface ChurnRiskDoc {
  customerId: string;
  score: number;
  flagged: boolean;
  signals: ChurnSignalV1[];
  on: string;
  policyVersion: number;
  lastEventId: string;
  task: RetentionTask | null;
}

const CHURN_EVENTS = ['ChurnRiskFlagged', 'ChurnRiskCleared', 'ChurnRiskScored'] as const;

export function churnRiskKey(event: EventEnvelope): string | undefined {
  if (isEventOf(event, ...CHURN_EVENTS)) return event.data.customerId;
  if (isEventOf(event, 'FollowUpScheduled')) return event.data.reason === 'retention' ? event.data.customerId : undefined;
  if (isEventOf(event, 'FollowUpCompleted', 'FollowUpMissed')) return event.data.customerId;
  return undefined;
}

/** Pure, in place. Churn's events come from one stream per customer, so they arrive in order. */
export function evolveChurnRisk(doc: ChurnRiskDoc | undefined, event: EventEnvelope): ChurnRiskDoc | null {
  if (isEventOf(event, ...CHURN_EVENTS)) {
    const { customerId, score, signals, on, policyVersion } = event.data;
    const next: ChurnRiskDoc = doc ?? { customerId, score, flagged: false, signals, on, policyVersion, lastEventId: event.id, task: null };
    Object.assign(next, { score, signals, on, policyVersion, lastEventId: event.id });
    if (event.type === 'ChurnRiskFlagged') {
      next.flagged = true;
      next.task = { flagEventId: event.id, flaggedOn: on, status: 'requested', followUpId: null, dueOn: null, accountManager: event.data.accountManager };
    }
    if (event.type === 'ChurnRiskCleared') next.flagged = false;
    return next;
  }
  if (!doc?.task) return doc ?? null;
  if (isEventOf(event, 'FollowUpScheduled') && event.data.source.id === doc.task.flagEventId) {
    Object.assign(doc.task, { status: 'scheduled', followUpId: event.data.followUpId, dueOn: event.data.dueOn, accountManager: event.data.accountManager });
  }
  if (isEventOf(event, 'FollowUpCompleted', 'FollowUpMissed') && event.data.followUpId === doc.task.followUpId) {
    doc.task.status = event.type === 'FollowUpCompleted' ? 'completed' : 'missed';
  }
  return doc;
}
