import { EventEnvelope, isEventOf, SlaClock } from '@crm/contracts';

export interface ComplaintDoc {
  id: string;
  customerId: string;
  category: string;
  severity: string;
  description: string;
  status: 'open' | 'acknowledged' | 'resolved';
  raisedAt: string;
  raisedBy: string;
  sla: { abcClass: string | null; acknowledgeWithinHours: number; resolveWithinHours: number; acknowledgeBy: string; resolveBy: string; policyVersion: number | null };
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
  breaches: Array<{ clock: SlaClock; deadline: string; detectedAt: string }>;
  slaBreached: boolean;
  /** The earliest deadline of a clock neither done nor breached: what the deadline watch looks for (indexed). */
  nextDeadline: string | null;
}

export function complaintKey(e: EventEnvelope): string | undefined {
  return isEventOf(e, 'ComplaintRaised', 'ComplaintAcknowledged', 'ComplaintResolved', 'ComplaintSlaBreached') ? e.data.complaintId : undefined;
}

function nextDeadline(doc: ComplaintDoc): string | null {
  const breached = new Set(doc.breaches.map((b) => b.clock));
  const running = [
    !doc.acknowledgedAt && !breached.has('acknowledge') ? doc.sla.acknowledgeBy : null,
    !doc.resolvedAt && !breached.has('resolve') ? doc.sla.resolveBy : null,
  ].filter((d): d is string => d !== null).sort();
  return running[0] ?? null;
}

/** The complaints list: one document per complaint, changed in place; time only from the events. */
export function evolveComplaintDoc(doc: ComplaintDoc | undefined, e: EventEnvelope): ComplaintDoc | null {
  if (isEventOf(e, 'ComplaintRaised')) {
    const d = e.data;
    const created: ComplaintDoc = {
      id: d.complaintId, customerId: d.customerId, category: d.category, severity: d.severity, description: d.description, status: 'open',
      raisedAt: d.raisedAt, raisedBy: d.raisedBy,
      sla: { abcClass: d.sla.abcClass, acknowledgeWithinHours: d.sla.acknowledgeWithinHours, resolveWithinHours: d.sla.resolveWithinHours,
        acknowledgeBy: d.sla.acknowledgeBy, resolveBy: d.sla.resolveBy, policyVersion: d.sla.policyVersion ?? null },
      acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null, resolvedBy: null, resolution: null, breaches: [], slaBreached: false, nextDeadline: null,
    };
    created.nextDeadline = nextDeadline(created);
    return created;
  }
  if (!doc) return null;
  if (isEventOf(e, 'ComplaintAcknowledged')) {
    doc.status = 'acknowledged';
    doc.acknowledgedAt = e.data.acknowledgedAt;
    doc.acknowledgedBy = e.data.acknowledgedBy;
  } else if (isEventOf(e, 'ComplaintResolved')) {
    doc.status = 'resolved';
    doc.resolvedAt = e.data.resolvedAt;
    doc.resolvedBy = e.data.resolvedBy;
    doc.resolution = e.data.resolution;
  } else if (isEventOf(e, 'ComplaintSlaBreached')) {
    if (!doc.breaches.some((b) => b.clock === e.data.clock)) doc.breaches.push({ clock: e.data.clock, deadline: e.data.deadline, detectedAt: e.data.detectedAt });
    doc.slaBreached = true;
  }
  doc.nextDeadline = nextDeadline(doc);
  return doc;
}
