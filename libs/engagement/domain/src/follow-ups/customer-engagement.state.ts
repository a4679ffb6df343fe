import { addDays, FollowUpReason } from '@crm/contracts';
import { CustomerEngagementEvent } from './customer-engagement.events';

export interface FollowUpEntry { dueOn: string; reason: FollowUpReason; sourceId: string | null; status: 'due' | 'missed' | 'done' }

export interface CustomerEngagementState {
  customerId: string | null;
  /** The plan as last recorded (null until registration or a first interaction is seen). */
  plan: { abcClass: 'A' | 'B' | 'C' | null; cadenceDays: number; noticeDays: number; active: boolean; planVersion: number } | null;
  /** The business date of the latest interaction (registration until then). */
  lastContactOn: string | null;
  followUps: Record<string, FollowUpEntry>;
}

export const initialCustomerEngagement = (): CustomerEngagementState => ({ customerId: null, plan: null, lastContactOn: null, followUps: {} });

const later = (a: string | null, b: string) => (a === null || b > a ? b : a);

/** Folds in place (ADR 12): one state per stream, never copied per event. */
export function evolveCustomerEngagement(state: CustomerEngagementState, event: CustomerEngagementEvent): CustomerEngagementState {
  state.customerId ??= event.data.customerId;
  switch (event.type) {
    case 'ContactPlanChanged': {
      const d = event.data;
      state.plan = { abcClass: d.abcClass, cadenceDays: d.cadenceDays, noticeDays: d.noticeDays, active: d.active, planVersion: d.planVersion };
      state.lastContactOn = later(state.lastContactOn, d.lastContactOn);
      break;
    }
    case 'InteractionRecorded':
      // Its contact date moves the plan through the ContactPlanChanged recorded with it (the date is the business zone's).
      break;
    case 'FollowUpScheduled':
      state.followUps[event.data.followUpId] = { dueOn: event.data.dueOn, reason: event.data.reason, sourceId: event.data.source.id, status: 'due' };
      break;
    case 'FollowUpCompleted':
      state.followUps[event.data.followUpId].status = 'done';
      break;
    case 'FollowUpMissed':
      state.followUps[event.data.followUpId].status = 'missed';
      break;
    default: {
      const unhandled: never = event;
      throw new Error(`unknown event ${(unhandled as { type: string }).type}`);
    }
  }
  return state;
}

export const openFollowUps = (state: CustomerEngagementState) =>
  Object.entries(state.followUps).filter(([, f]) => f.status === 'due').map(([id, f]) => ({ id, ...f }));

/** The plan's next due date, or null when the plan is inactive or unknown. */
export function nextPlanDueOn(state: CustomerEngagementState): string | null {
  if (!state.plan?.active || state.lastContactOn === null) return null;
  return addDays(state.lastContactOn, state.plan.cadenceDays);
}

/**
 * The next business date a day close has work for this customer (the stream schedule): the
 * earliest open follow-up's due date (it is missed at that date's close), else — no open
 * follow-up — the notice date of the plan's next follow-up.
 */
export function nextFollowUpWorkOn(state: CustomerEngagementState): string | null {
  const open = openFollowUps(state).map((f) => f.dueOn).sort();
  if (open.length > 0) return open[0];
  const planDue = nextPlanDueOn(state);
  return planDue === null ? null : addDays(planDue, -state.plan!.noticeDays);
}
