import { EventContract } from '../json-schema';
import { arr, date, nullable, obj, str, uuid } from '../schema-builders';
import { CONSENT_CHANNELS, ConsentChannel } from '../customers/customer-events';

/**
 * The engagement team's published contract for interactions, follow-ups and the care calendar
 * (streams `interactions-<customerId>`, `follow-up-<id>`, `care-<customerId>`, `care-holidays`).
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
  source: { kind: FollowUpReason; id: string | null; cadenceDays: number | null };
}
export interface FollowUpCompletedV1 { followUpId: string; customerId: string; completedAt: string; completedBy: string }
export interface FollowUpMissedV1 { followUpId: string; customerId: string; dueOn: string; businessDate: string }

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
}

export interface CareHolidaysConfiguredV1 { version: number; holidays: Array<{ name: string; dates: string[] }>; configuredBy: string }

export const interactionContracts: EventContract[] = [
  { type: 'InteractionRecorded', version: 1, schema: obj({
    interactionId: uuid(), customerId: uuid(), channel: str({ enum: [...INTERACTION_CHANNELS] }), direction: str({ enum: ['inbound', 'outbound'] }),
    subject: str(), outcome: str(), occurredAt: instant(), recordedBy: str(), nextFollowUpOn: nullable(date()),
  }) },
  { type: 'FollowUpScheduled', version: 1, schema: obj({
    followUpId: uuid(), customerId: uuid(), dueOn: date(), reason: str({ enum: [...FOLLOW_UP_REASONS] }), accountManager: nullable(str()),
    source: obj({ kind: str({ enum: [...FOLLOW_UP_REASONS] }), id: nullable(str()), cadenceDays: { type: ['integer', 'null'] } }),
  }) },
  { type: 'FollowUpCompleted', version: 1, schema: obj({ followUpId: uuid(), customerId: uuid(), completedAt: instant(), completedBy: str() }) },
  { type: 'FollowUpMissed', version: 1, schema: obj({ followUpId: uuid(), customerId: uuid(), dueOn: date(), businessDate: date() }) },
  { type: 'CareTaskCreated', version: 1, schema: obj({
    taskId: uuid(), customerId: uuid(), contactId: nullable(uuid()), occasion: str({ enum: ['birthday', 'holiday'] }), holiday: nullable(str()),
    on: date(), channels: arr(str({ enum: [...CONSENT_CHANNELS] })),
  }) },
  { type: 'CareHolidaysConfigured', version: 1, schema: obj({
    version: { type: 'integer' }, holidays: arr(obj({ name: str(), dates: arr(date()) })), configuredBy: str(),
  }) },
];
