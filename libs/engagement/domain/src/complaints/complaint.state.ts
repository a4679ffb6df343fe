import { ComplaintSeverity, SlaClock } from '@crm/contracts';
import { ComplaintEvent } from './complaint.events';

export type ComplaintStatus = 'open' | 'acknowledged' | 'resolved';

export interface SlaClockState {
  deadline: string;
  /** Business date of the deadline: the close that must look at it (older events: the UTC date a day before, to be safe). */
  dueOn: string;
  doneAt: string | null;
  breachedAt: string | null;
}

export interface ComplaintState {
  complaintId: string | null;
  customerId: string | null;
  category: string;
  severity: ComplaintSeverity | null;
  description: string;
  status: ComplaintStatus;
  raisedAt: string | null;
  raisedBy: string | null;
  sla: { abcClass: string | null; acknowledgeWithinHours: number; resolveWithinHours: number; policyVersion: number | null } | null;
  clocks: Record<SlaClock, SlaClockState> | null;
  acknowledgedBy: string | null;
  resolution: string | null;
  resolvedBy: string | null;
}

export const initialComplaint = (): ComplaintState => ({
  complaintId: null, customerId: null, category: '', severity: null, description: '', status: 'open', raisedAt: null, raisedBy: null,
  sla: null, clocks: null, acknowledgedBy: null, resolution: null, resolvedBy: null,
});

const dayBefore = (instant: string) => new Date(Date.parse(instant) - 86_400_000).toISOString().slice(0, 10);

/** Folds one event into the state, in place (ADR 12). */
export function evolveComplaint(state: ComplaintState, e: ComplaintEvent): ComplaintState {
  switch (e.type) {
    case 'ComplaintRaised': {
      const d = e.data;
      Object.assign(state, { complaintId: d.complaintId, customerId: d.customerId, category: d.category, severity: d.severity,
        description: d.description, raisedAt: d.raisedAt, raisedBy: d.raisedBy, status: 'open' });
      state.sla = { abcClass: d.sla.abcClass, acknowledgeWithinHours: d.sla.acknowledgeWithinHours, resolveWithinHours: d.sla.resolveWithinHours,
        policyVersion: d.sla.policyVersion ?? null };
      state.clocks = {
        acknowledge: { deadline: d.sla.acknowledgeBy, dueOn: d.sla.acknowledgeDueOn ?? dayBefore(d.sla.acknowledgeBy), doneAt: null, breachedAt: null },
        resolve: { deadline: d.sla.resolveBy, dueOn: d.sla.resolveDueOn ?? dayBefore(d.sla.resolveBy), doneAt: null, breachedAt: null },
      };
      break;
    }
    case 'ComplaintAcknowledged':
      state.status = 'acknowledged';
      state.acknowledgedBy = e.data.acknowledgedBy;
      if (state.clocks) state.clocks.acknowledge.doneAt = e.data.acknowledgedAt;
      break;
    case 'ComplaintResolved':
      state.status = 'resolved';
      state.resolution = e.data.resolution;
      state.resolvedBy = e.data.resolvedBy;
      if (state.clocks) state.clocks.resolve.doneAt = e.data.resolvedAt;
      break;
    case 'ComplaintSlaBreached':
      if (state.clocks) state.clocks[e.data.clock].breachedAt = e.data.detectedAt;
      break;
    default: {
      const unhandled: never = e;
      throw new Error(`unknown event ${(unhandled as { type: string }).type}`);
    }
  }
  return state;
}

/** Clocks still running: neither done nor breached. */
export function runningClocks(state: ComplaintState): Array<[SlaClock, SlaClockState]> {
  if (!state.clocks) return [];
  return (Object.entries(state.clocks) as Array<[SlaClock, SlaClockState]>).filter(([, c]) => c.doneAt === null && c.breachedAt === null);
}

/** The schedule (ADR 12): the earliest business date a running clock's deadline falls on; none when all are done or breached. */
export function nextSlaDueOn(state: ComplaintState): string | null {
  const dates = runningClocks(state).map(([, c]) => c.dueOn).sort();
  return dates[0] ?? null;
}
