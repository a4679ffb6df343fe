import { addDays, ContactPlanPolicyChangedV1, Decider, domainError, EngagementEventMap, TypedEvent } from '@crm/contracts';

/** The contact plan's rules as a version: what each decision records and replays by. */
export type ContactPlanRules = Omit<ContactPlanPolicyChangedV1, 'changedBy'>;

/**
 * Version 1, in force until the first `PUT /v1/contact-plan/policy`: days between contacts by
 * ABC class (an unclassified customer counts as C), how many days ahead of its due date the day
 * close schedules the plan's follow-up, and how long a retention follow-up gets after a churn flag.
 */
export const CONTACT_PLAN: ContactPlanRules = { version: 1, cadenceDays: { A: 30, B: 90, C: 180 }, noticeDays: 7, retentionDueInDays: 3 };

export function cadenceFor(abcClass: 'A' | 'B' | 'C' | null, rules: ContactPlanRules = CONTACT_PLAN): number {
  return rules.cadenceDays[abcClass ?? 'C'];
}

/** When the next plan follow-up is due: `cadence` days after the last contact (or registration). */
export function planDueOn(lastContactOn: string, cadenceDays: number): string {
  return addDays(lastContactOn, cadenceDays);
}

export type ContactPlanPolicyEvent = TypedEvent<Pick<EngagementEventMap, 'ContactPlanPolicyChanged'>>;
export interface ChangeContactPlanPolicy { type: 'ChangeContactPlanPolicy'; data: Omit<ContactPlanRules, 'version'> & { changedBy: string } }

function change({ data }: ChangeContactPlanPolicy, state: ContactPlanRules): ContactPlanPolicyEvent[] {
  const { A, B, C } = data.cadenceDays;
  if (!(A <= B && B <= C)) throw domainError('cadence-out-of-order', 'invalid', 'cadenceDays must not grow shorter from A to B to C', 'cadenceDays');
  if (data.noticeDays >= A) throw domainError('notice-too-long', 'invalid', `noticeDays must be shorter than class A's cadence (${A} days)`, 'noticeDays');
  const { changedBy, ...rules } = data;
  const same = (['A', 'B', 'C'] as const).every((c) => rules.cadenceDays[c] === state.cadenceDays[c])
    && rules.noticeDays === state.noticeDays && rules.retentionDueInDays === state.retentionDueInDays;
  if (same) return [];
  return [{ type: 'ContactPlanPolicyChanged', schemaVersion: 1, data: {
    version: state.version + 1, cadenceDays: { A, B, C }, noticeDays: rules.noticeDays, retentionDueInDays: rules.retentionDueInDays, changedBy } }];
}

/** The versioned contact-plan rules (stream `contact-plan-policy`): each change a new version, the same rules again nothing. */
export const contactPlanPolicyDecider: Decider<ContactPlanRules, ChangeContactPlanPolicy, ContactPlanPolicyEvent> = {
  initialState: () => ({ ...CONTACT_PLAN, cadenceDays: { ...CONTACT_PLAN.cadenceDays } }),
  evolve: (state, e) => {
    const { changedBy: _by, ...rules } = e.data;
    return Object.assign(state, rules);
  },
  decide: (command, state) => change(command, state),
};
