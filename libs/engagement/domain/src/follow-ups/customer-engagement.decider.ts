import { addDays, Decider, domainError, InteractionChannel } from '@crm/contracts';
import { businessDateOf } from '../complaints/business-time';
import { cadenceFor, ContactPlanRules, planDueOn } from './contact-plan';
import { CustomerEngagementEvent, engagementEvent } from './customer-engagement.events';
import { CustomerEngagementState, evolveCustomerEngagement, initialCustomerEngagement, nextPlanDueOn, openFollowUps } from './customer-engagement.state';

type AbcClass = 'A' | 'B' | 'C' | null;
/** What engagement's directory says of the customer when the command is sent, and the plan's rules in force. */
export interface CustomerContext { abcClass: AbcClass; accountManager: string | null; archived: boolean; timeZone: string; plan: ContactPlanRules }

export interface RecordInteraction {
  type: 'RecordInteraction';
  data: {
    interactionId: string; customerId: string; channel: InteractionChannel; direction: 'inbound' | 'outbound'; subject: string; outcome: string;
    occurredAt: string; recordedBy: string; nextFollowUpOn: string | null; followUpId: string;
  };
  context: CustomerContext;
}
export interface CompleteFollowUp { type: 'CompleteFollowUp'; data: { followUpId: string; completedAt: string; completedBy: string } }
/** A customers' event that changes the plan: registration (its business date), a class change, archiving, reactivation. */
export interface UpdateContactPlan {
  type: 'UpdateContactPlan';
  data: { customerId: string; kind: 'registration' | 'class-change' | 'archived' | 'reactivated'; eventId: string; on: string; abcClass?: AbcClass };
  context: { plan: ContactPlanRules };
}
export interface ScheduleRetentionFollowUp {
  type: 'ScheduleRetentionFollowUp';
  data: { followUpId: string; customerId: string; flagEventId: string; flaggedOn: string; accountManager: string | null };
  context: { plan: ContactPlanRules };
}
/** Time passing: the close of a business date misses what was due and schedules the plan's follow-up. */
export interface CloseFollowUpDay { type: 'CloseFollowUpDay'; data: { businessDate: string; planFollowUpId: string }; context: CustomerContext }

export type CustomerEngagementCommand = RecordInteraction | CompleteFollowUp | UpdateContactPlan | ScheduleRetentionFollowUp | CloseFollowUpDay;

const planChanged = (rules: ContactPlanRules, customerId: string, plan: { abcClass: AbcClass; active: boolean; lastContactOn: string },
  cause: { kind: 'registration' | 'class-change' | 'archived' | 'reactivated' | 'interaction'; eventId: string | null }) => {
  const cadenceDays = cadenceFor(plan.abcClass, rules);
  return engagementEvent('ContactPlanChanged', {
    customerId, abcClass: plan.abcClass, cadenceDays, noticeDays: rules.noticeDays, active: plan.active, lastContactOn: plan.lastContactOn,
    nextDueOn: plan.active ? planDueOn(plan.lastContactOn, cadenceDays) : null, planVersion: rules.version, cause,
  });
};

function recordInteraction({ data, context }: RecordInteraction, state: CustomerEngagementState): CustomerEngagementEvent[] {
  const occurredOn = businessDateOf(data.occurredAt, context.timeZone);
  if (data.nextFollowUpOn !== null && data.nextFollowUpOn < occurredOn) {
    throw domainError('follow-up-before-interaction', 'invalid', `nextFollowUpOn ${data.nextFollowUpOn} is before the interaction's date ${occurredOn}`, 'nextFollowUpOn');
  }
  const { followUpId, ...interaction } = data;
  const events = [engagementEvent('InteractionRecorded', interaction)];
  if (data.nextFollowUpOn !== null) {
    events.push(engagementEvent('FollowUpScheduled', {
      followUpId, customerId: data.customerId, dueOn: data.nextFollowUpOn, reason: 'interaction', accountManager: context.accountManager,
      source: { kind: 'interaction', id: data.interactionId, cadenceDays: null, lastContactOn: null, planVersion: null },
    }));
  }
  // A backdated interaction older than the last contact leaves the plan as it is.
  if (state.plan === null || state.lastContactOn === null || occurredOn > state.lastContactOn) {
    const plan = state.plan ?? { abcClass: context.abcClass, active: !context.archived };
    events.push(planChanged(context.plan, data.customerId, { abcClass: plan.abcClass, active: plan.active, lastContactOn: occurredOn },
      { kind: 'interaction', eventId: data.interactionId }));
  }
  return events;
}

function completeFollowUp({ data }: CompleteFollowUp, state: CustomerEngagementState): CustomerEngagementEvent[] {
  const followUp = state.followUps[data.followUpId];
  if (!followUp) throw domainError('follow-up-not-found', 'not-found', `follow-up ${data.followUpId} not found`);
  if (followUp.status === 'done') throw domainError('follow-up-already-done', 'conflict', `follow-up ${data.followUpId} is already done`);
  // A missed follow-up may still be done late: the miss stays on record.
  return [engagementEvent('FollowUpCompleted', { ...data, customerId: state.customerId! })];
}

function updatePlan({ data, context }: UpdateContactPlan, state: CustomerEngagementState): CustomerEngagementEvent[] {
  const current = state.plan;
  const cause = { kind: data.kind, eventId: data.eventId };
  const lastContactOn = state.lastContactOn ?? data.on;
  switch (data.kind) {
    case 'registration':
      return current ? [] : [planChanged(context.plan, data.customerId, { abcClass: null, active: true, lastContactOn }, cause)];
    case 'class-change': {
      const abcClass = data.abcClass ?? null;
      // The same class again changes nothing; a class change takes the rules in force now.
      if (current && current.abcClass === abcClass) return [];
      return [planChanged(context.plan, data.customerId, { abcClass, active: current?.active ?? true, lastContactOn }, cause)];
    }
    case 'archived':
    case 'reactivated': {
      const active = data.kind === 'reactivated';
      if (current && current.active === active) return [];
      return [planChanged(context.plan, data.customerId, { abcClass: current?.abcClass ?? null, active, lastContactOn }, cause)];
    }
    default: {
      const unhandled: never = data.kind;
      throw new Error(`unknown plan change ${unhandled as string}`);
    }
  }
}

function scheduleRetention({ data, context }: ScheduleRetentionFollowUp, state: CustomerEngagementState): CustomerEngagementEvent[] {
  // Once per flag event, whatever redeliveries or replays do.
  if (Object.values(state.followUps).some((f) => f.reason === 'retention' && f.sourceId === data.flagEventId)) return [];
  return [engagementEvent('FollowUpScheduled', {
    followUpId: data.followUpId, customerId: data.customerId, dueOn: addDays(data.flaggedOn, context.plan.retentionDueInDays), reason: 'retention',
    accountManager: data.accountManager, source: { kind: 'retention', id: data.flagEventId, cadenceDays: null, lastContactOn: null, planVersion: context.plan.version },
  })];
}

/**
 * The close of a business date: every open follow-up due on or before it was not done by its
 * date (missed). Then, with no follow-up open, the plan's follow-up is scheduled once its
 * notice date has come — due on the plan date, or the next day when that has passed.
 */
function closeDay({ data, context }: CloseFollowUpDay, state: CustomerEngagementState): CustomerEngagementEvent[] {
  if (!state.customerId) return [];
  const open = openFollowUps(state);
  const missed = open.filter((f) => f.dueOn <= data.businessDate).sort((a, b) => a.dueOn.localeCompare(b.dueOn))
    .map((f) => engagementEvent('FollowUpMissed', { followUpId: f.id, customerId: state.customerId!, dueOn: f.dueOn, businessDate: data.businessDate }));
  const planDue = nextPlanDueOn(state);
  if (missed.length < open.length || planDue === null || context.archived) return missed;
  if (addDays(planDue, -state.plan!.noticeDays) > data.businessDate) return missed;
  const dueOn = planDue > data.businessDate ? planDue : addDays(data.businessDate, 1);
  return [...missed, engagementEvent('FollowUpScheduled', {
    followUpId: data.planFollowUpId, customerId: state.customerId, dueOn, reason: 'contact-plan', accountManager: context.accountManager,
    source: { kind: 'contact-plan', id: null, cadenceDays: state.plan!.cadenceDays, lastContactOn: state.lastContactOn, planVersion: state.plan!.planVersion },
  })];
}

/** One customer's interactions, follow-ups and contact plan. */
export const customerEngagementDecider: Decider<CustomerEngagementState, CustomerEngagementCommand, CustomerEngagementEvent> = {
  initialState: initialCustomerEngagement,
  evolve: evolveCustomerEngagement,
  decide(command, state) {
    switch (command.type) {
      case 'RecordInteraction': return recordInteraction(command, state);
      case 'CompleteFollowUp': return completeFollowUp(command, state);
      case 'UpdateContactPlan': return updatePlan(command, state);
      case 'ScheduleRetentionFollowUp': return scheduleRetention(command, state);
      case 'CloseFollowUpDay': return closeDay(command, state);
      default: {
        const unhandled: never = command;
        throw new Error(`unknown command ${(unhandled as { type: string }).type}`);
      }
    }
  },
};
