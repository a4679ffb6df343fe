import { ComplaintSlaPolicyChangedV1, Decider, domainError, EngagementEventMap, TypedEvent } from '@crm/contracts';
import { addHours, businessDateOf } from './business-time';

/** A rule set of SLA hours by ABC class; its version is recorded with each complaint's SLA. */
export interface ComplaintSlaPolicy { version: number; hoursByClass: ComplaintSlaPolicyChangedV1['hoursByClass'] }

/** DOMAIN.md's hours, version 0 until a `PUT /v1/complaints/policy` records another. */
export const DEFAULT_COMPLAINT_SLA_POLICY: ComplaintSlaPolicy = {
  version: 0,
  hoursByClass: {
    A: { acknowledgeWithinHours: 4, resolveWithinHours: 24 },
    B: { acknowledgeWithinHours: 24, resolveWithinHours: 72 },
    C: { acknowledgeWithinHours: 24, resolveWithinHours: 72 },
  },
};

export interface ComplaintSla {
  abcClass: string | null;
  acknowledgeWithinHours: number;
  resolveWithinHours: number;
  acknowledgeBy: string;
  resolveBy: string;
  acknowledgeDueOn: string;
  resolveDueOn: string;
  policyVersion: number;
}

/** The clocks of a complaint raised at `raisedAt` by a customer of `abcClass` (null counts as C), with the business dates they fall on. */
export function slaFor(abcClass: string | null, raisedAt: string, timeZone: string, policy: ComplaintSlaPolicy): ComplaintSla {
  const hours = policy.hoursByClass[(abcClass ?? 'C') as keyof ComplaintSlaPolicy['hoursByClass']] ?? policy.hoursByClass.C;
  const acknowledgeBy = addHours(raisedAt, hours.acknowledgeWithinHours);
  const resolveBy = addHours(raisedAt, hours.resolveWithinHours);
  return {
    abcClass, acknowledgeWithinHours: hours.acknowledgeWithinHours, resolveWithinHours: hours.resolveWithinHours, acknowledgeBy, resolveBy,
    acknowledgeDueOn: businessDateOf(acknowledgeBy, timeZone), resolveDueOn: businessDateOf(resolveBy, timeZone), policyVersion: policy.version,
  };
}

export type ComplaintSlaPolicyEvent = TypedEvent<Pick<EngagementEventMap, 'ComplaintSlaPolicyChanged'>>;

export interface ChangeComplaintSlaPolicy {
  type: 'ChangeComplaintSlaPolicy';
  data: { hoursByClass: ComplaintSlaPolicy['hoursByClass']; changedBy: string; changedOn: string };
}

/** At most a year; resolving can never be due before acknowledging. */
const MAX_HOURS = 8760;

function assertCoherent(hoursByClass: ComplaintSlaPolicy['hoursByClass']): void {
  for (const abcClass of ['A', 'B', 'C'] as const) {
    const { acknowledgeWithinHours: ack, resolveWithinHours: resolve } = hoursByClass[abcClass];
    for (const [name, value] of [['acknowledgeWithinHours', ack], ['resolveWithinHours', resolve]] as const) {
      if (!Number.isInteger(value) || value < 1 || value > MAX_HOURS) {
        throw domainError('sla-hours-out-of-range', 'invalid', `hours are whole numbers from 1 to ${MAX_HOURS}`, `hoursByClass.${abcClass}.${name}`);
      }
    }
    if (resolve < ack) {
      throw domainError('sla-resolve-before-acknowledge', 'invalid', `class ${abcClass} would have to be resolved before it is acknowledged`,
        `hoursByClass.${abcClass}.resolveWithinHours`);
    }
  }
}

/** The versioned SLA rule sets (one stream): each change is the next version; the same hours again record nothing. */
export const complaintSlaPolicyDecider: Decider<ComplaintSlaPolicy, ChangeComplaintSlaPolicy, ComplaintSlaPolicyEvent> = {
  initialState: () => structuredClone(DEFAULT_COMPLAINT_SLA_POLICY),
  decide({ data }, state) {
    assertCoherent(data.hoursByClass);
    if (JSON.stringify(data.hoursByClass) === JSON.stringify(state.hoursByClass)) return [];
    return [{ type: 'ComplaintSlaPolicyChanged', schemaVersion: 1, data: { version: state.version + 1, ...data } }];
  },
  evolve(state, e) {
    state.version = e.data.version;
    state.hoursByClass = e.data.hoursByClass;
    return state;
  },
};
