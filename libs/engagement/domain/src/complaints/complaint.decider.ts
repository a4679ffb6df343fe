import { ComplaintSeverity, Decider, domainError, SlaClock } from '@crm/contracts';
import { complaintEvent, ComplaintEvent } from './complaint.events';
import { ComplaintState, evolveComplaint, initialComplaint, runningClocks } from './complaint.state';
import { ComplaintSlaPolicy, slaFor } from './complaint-sla';

export interface RaiseComplaint {
  type: 'RaiseComplaint';
  data: { complaintId: string; customerId: string; category: string; severity: ComplaintSeverity; description: string; raisedAt: string; raisedBy: string };
  /** The customer's class as engagement's directory has it (null: unclassified, counts as C), the SLA rules in force, the business time zone. */
  context: { abcClass: string | null; policy: ComplaintSlaPolicy; timeZone: string };
}
export interface AcknowledgeComplaint { type: 'AcknowledgeComplaint'; data: { acknowledgedAt: string; acknowledgedBy: string } }
export interface ResolveComplaint { type: 'ResolveComplaint'; data: { resolution: string; resolvedAt: string; resolvedBy: string } }
/** Time passing is command data: `asOf` is the end of the closed business date, or the deadline watch's clock reading. */
export interface RecordSlaBreaches { type: 'RecordSlaBreaches'; data: { asOf: string } }

export type ComplaintCommand = RaiseComplaint | AcknowledgeComplaint | ResolveComplaint | RecordSlaBreaches;

const notFound = () => domainError('complaint-not-found', 'not-found', 'complaint not found');

function raise({ data, context }: RaiseComplaint, state: ComplaintState): ComplaintEvent[] {
  if (state.complaintId) throw domainError('complaint-exists', 'conflict', `complaint ${data.complaintId} already exists`);
  return [complaintEvent('ComplaintRaised', { ...data, sla: slaFor(context.abcClass, data.raisedAt, context.timeZone, context.policy) })];
}

/** A step done after its deadline with no breach on record yet: the breach is recorded first, once. */
function lateBreach(state: ComplaintState, clock: SlaClock, at: string): ComplaintEvent[] {
  const c = state.clocks![clock];
  if (c.breachedAt !== null || at <= c.deadline) return [];
  return [complaintEvent('ComplaintSlaBreached', { complaintId: state.complaintId!, customerId: state.customerId!, clock, deadline: c.deadline, detectedAt: at })];
}

function acknowledge({ data }: AcknowledgeComplaint, state: ComplaintState): ComplaintEvent[] {
  if (!state.complaintId) throw notFound();
  if (state.status !== 'open') throw domainError('complaint-already-acknowledged', 'conflict', `complaint ${state.complaintId} is already ${state.status}`);
  return [...lateBreach(state, 'acknowledge', data.acknowledgedAt),
    complaintEvent('ComplaintAcknowledged', { complaintId: state.complaintId, customerId: state.customerId!, ...data })];
}

function resolve({ data }: ResolveComplaint, state: ComplaintState): ComplaintEvent[] {
  if (!state.complaintId) throw notFound();
  if (state.status === 'open') {
    throw domainError('complaint-not-acknowledged', 'conflict', `complaint ${state.complaintId} must be acknowledged before it is resolved`);
  }
  if (state.status === 'resolved') throw domainError('complaint-already-resolved', 'conflict', `complaint ${state.complaintId} is already resolved`);
  return [...lateBreach(state, 'resolve', data.resolvedAt),
    complaintEvent('ComplaintResolved', { complaintId: state.complaintId, customerId: state.customerId!, ...data })];
}

/** Each running clock whose deadline is before `asOf` is breached, once; a clock done or already breached never is. */
function recordBreaches({ data }: RecordSlaBreaches, state: ComplaintState): ComplaintEvent[] {
  if (!state.complaintId) throw notFound();
  return runningClocks(state).filter(([, c]) => c.deadline < data.asOf).map(([clock, c]) => complaintEvent('ComplaintSlaBreached', {
    complaintId: state.complaintId!, customerId: state.customerId!, clock, deadline: c.deadline, detectedAt: data.asOf,
  }));
}

/** One complaint and its two SLA clocks (acknowledge, resolve). */
export const complaintDecider: Decider<ComplaintState, ComplaintCommand, ComplaintEvent> = {
  initialState: initialComplaint,
  evolve: evolveComplaint,
  decide(command, state) {
    switch (command.type) {
      case 'RaiseComplaint': return raise(command, state);
      case 'AcknowledgeComplaint': return acknowledge(command, state);
      case 'ResolveComplaint': return resolve(command, state);
      case 'RecordSlaBreaches': return recordBreaches(command, state);
      default: {
        const unhandled: never = command;
        throw new Error(`unknown command ${(unhandled as { type: string }).type}`);
      }
    }
  },
};
