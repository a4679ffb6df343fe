import { EventContract } from '../json-schema';
import { arr, bool, date, int, nullable, obj, str, uuid } from '../schema-builders';
import { CONSENT_CHANNELS, ConsentChannel } from '../customers/customer-events';

/**
 * The engagement team's published contract for interactions, follow-ups and the care calendar
 * (streams `interactions-<customerId>`: a customer's interactions, follow-ups and contact plan,
 * so a follow-up is scheduled in the same append as its interaction; `care-<customerId>`;
 * `care-holidays`).
 */
export const INTERACTION_CHANNELS = ['phone', 'email', 'sms', 'wechat', 'visit', 'meeting'] as const;
export type InteractionChannel = (typeof INTERACTION_CHANNELS)[number];
export const FOLLOW_UP_REASONS = ['interaction', 'contact-plan', 'retention'] as const;
export type FollowUpReason = (typeof FOLLOW_UP_REASONS)[number];

const instant = () => str({ format: 'date-time' });

export interface InteractionRecordedV1 {
  interactionId: string;
  customerId: string;
  channel: InteractionChannel;
  direction: 'inbound' | 'outbound';
  subject: string;
  outcome: string;
  occurredAt: string;
  recordedBy: string;
  nextFollowUpOn: string | null;
}

export interface FollowUpScheduledV1 {
  followUpId: string;
  customerId: string;
  dueOn: string;
  reason: FollowUpReason;
  /** Who it is for (the customer's account manager when known). */
  accountManager: string | null;
  /** What caused it: the interaction, the churn flag event, or the contact plan's cadence. */
  source: {
    kind: FollowUpReason; id: string | null; cadenceDays: number | null;
    /** Contact plan: the last contact the due date was counted from, and the plan's rule version. */
    lastContactOn: string | null; planVersion: number | null;
  };
}
export interface FollowUpCompletedV1 { followUpId: string; customerId: string; completedAt: string; completedBy: string }
export interface FollowUpMissedV1 { followUpId: string; customerId: string; dueOn: string; businessDate: string }

/**
 * The customer's contact plan as of a customers' event (registration, class change, archiving)
 * or a first interaction: the cadence the class gives under the plan's rule version, and the
 * date the next plan follow-up is due (cadence days after the last contact). Inactive: archived.
 */
export interface ContactPlanChangedV1 {
  customerId: string;
  abcClass: 'A' | 'B' | 'C' | null;
  cadenceDays: number;
  /** Days before the due date the day close schedules the plan's follow-up (the rule's). */
  noticeDays: number;
  active: boolean;
  lastContactOn: string;
  nextDueOn: string | null;
  planVersion: number;
  cause: { kind: 'registration' | 'class-change' | 'archived' | 'reactivated' | 'interaction'; eventId: string | null };
}

/** The contact plan's rules, versioned: cadence by class, notice before a plan follow-up's date, days to act on a churn flag. */
export interface ContactPlanPolicyChangedV1 {
  version: number;
  cadenceDays: { A: number; B: number; C: number };
  noticeDays: number;
  retentionDueInDays: number;
  changedBy: string;
}

export interface CareTaskCreatedV1 {
  taskId: string;
  customerId: string;
  /** The contact a birthday greeting is for; null for a holiday greeting to the customer. */
  contactId: string | null;
  occasion: 'birthday' | 'holiday';
  holiday: string | null;
  on: string;
  /** Consented channels only; no personal value is copied here. */
  channels: ConsentChannel[];
  /** Holiday tasks: the holiday configuration's version; the causing event (ContactCareDateDue, or the day close). */
  holidaysVersion: number | null;
  causedBy: string | null;
}

export interface CareHolidaysConfiguredV1 { version: number; holidays: Array<{ name: string; dates: string[] }>; configuredBy: string }

export const interactionContracts: EventContract[] = [
  { type: 'InteractionRecorded', version: 1, schema: obj({
    interactionId: uuid(), customerId: uuid(), channel: str({ enum: [...INTERACTION_CHANNELS] }), direction: str({ enum: ['inbound', 'outbound'] }),
    subject: str(), outcome: str(), occurredAt: instant(), recordedBy: str(), nextFollowUpOn: nullable(date()),
  }) },
  { type: 'FollowUpScheduled', version: 1, schema: obj({
    followUpId: uuid(), customerId: uuid(), dueOn: date(), reason: str({ enum: [...FOLLOW_UP_REASONS] }), accountManager: nullable(str()),
    source: obj({ kind: str({ enum: [...FOLLOW_UP_REASONS] }), id: nullable(str()), cadenceDays: { type: ['integer', 'null'] },
      lastContactOn: nullable(date()), planVersion: { type: ['integer', 'null'] } }),
  }) },
  { type: 'FollowUpCompleted', version: 1, schema: obj({ followUpId: uuid(), customerId: uuid(), completedAt: instant(), completedBy: str() }) },
  { type: 'FollowUpMissed', version: 1, schema: obj({ followUpId: uuid(), customerId: uuid(), dueOn: date(), businessDate: date() }) },
  { type: 'ContactPlanChanged', version: 1, schema: obj({
    customerId: uuid(), abcClass: nullable(str({ enum: ['A', 'B', 'C'] })), cadenceDays: int(), noticeDays: int(), active: bool(), lastContactOn: date(),
    nextDueOn: nullable(date()), planVersion: int(),
    cause: obj({ kind: str({ enum: ['registration', 'class-change', 'archived', 'reactivated', 'interaction'] }), eventId: nullable(str()) }),
  }) },
  { type: 'ContactPlanPolicyChanged', version: 1, schema: obj({
    version: int(), cadenceDays: obj({ A: int(), B: int(), C: int() }), noticeDays: int(), retentionDueInDays: int(), changedBy: str(),
  }) },
  { type: 'CareTaskCreated', version: 1, schema: obj({
    taskId: uuid(), customerId: uuid(), contactId: nullable(uuid()), occasion: str({ enum: ['birthday', 'holiday'] }), holiday: nullable(str()),
    on: date(), channels: arr(str({ enum: [...CONSENT_CHANNELS] })), holidaysVersion: { type: ['integer', 'null'] }, causedBy: nullable(str()),
  }) },
  { type: 'CareHolidaysConfigured', version: 1, schema: obj({
    version: { type: 'integer' }, holidays: arr(obj({ name: str(), dates: arr(date()) })), configuredBy: str(),
  }) },
];
