import { EventEnvelope, isEventOf } from '@crm/contracts';

/**
 * Customers' copy of engagement's churn-risk flag for one customer: an input of the lifecycle
 * (an open flag makes the next day close's stage at_risk) and of CLV (the at-risk retention).
 */
export interface CustomerChurnRisk {
  customerId: string;
  open: boolean;
  score: number;
  /** Time and id of the last flag or clear applied: the later one wins whatever the delivery order. */
  changedAt: string;
  lastEventId: string;
  policyVersion: number;
}

const CHURN_EVENTS = ['ChurnRiskFlagged', 'ChurnRiskCleared', 'ChurnRiskScored'] as const;

export function churnRiskKey(event: EventEnvelope): string | undefined {
  return isEventOf(event, ...CHURN_EVENTS) ? event.data.customerId : undefined;
}

const later = (event: EventEnvelope, doc: CustomerChurnRisk) =>
  event.time > doc.changedAt || (event.time === doc.changedAt && event.id > doc.lastEventId);

/** Pure, in place. A score without a crossing keeps the flag as it is; an older event changes nothing. */
export function evolveChurnRisk(doc: CustomerChurnRisk | undefined, event: EventEnvelope, customerId: string): CustomerChurnRisk | null {
  if (!isEventOf(event, ...CHURN_EVENTS)) return doc ?? null;
  const entry = doc ?? { customerId, open: false, score: 0, changedAt: '', lastEventId: '', policyVersion: 0 };
  if (doc && !later(event, doc)) return doc;
  if (event.type === 'ChurnRiskFlagged') entry.open = true;
  if (event.type === 'ChurnRiskCleared') entry.open = false;
  entry.score = event.data.score;
  entry.policyVersion = event.data.policyVersion;
  entry.changedAt = event.time;
  entry.lastEventId = event.id;
  return entry;
}
