import { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * What engagement's operations answer with (the success bodies in the OpenAPI document), as
 * schemas: the fields clients read are named and typed; the read models' nested parts are
 * open objects (`additionalProperties`), so a field added later is no breaking change.
 */
type Field = 'string' | 'string?' | 'integer' | 'integer?' | 'number' | 'number?' | 'boolean' | 'date' | 'date?' | 'instant' | 'instant?' | 'object' | 'object?' | 'objects' | 'strings' | SchemaObject;

const FIELDS: Record<Exclude<Field, SchemaObject>, SchemaObject> = {
  string: { type: 'string' }, 'string?': { type: 'string', nullable: true },
  integer: { type: 'integer' }, 'integer?': { type: 'integer', nullable: true },
  number: { type: 'number' }, 'number?': { type: 'number', nullable: true },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' }, 'date?': { type: 'string', format: 'date', nullable: true },
  instant: { type: 'string', format: 'date-time' }, 'instant?': { type: 'string', format: 'date-time', nullable: true },
  object: { type: 'object', additionalProperties: true }, 'object?': { type: 'object', additionalProperties: true, nullable: true },
  objects: { type: 'array', items: { type: 'object', additionalProperties: true } },
  strings: { type: 'array', items: { type: 'string' } },
};

/** An object with these fields, all present in every answer (open to more). */
export function shape(fields: Record<string, Field>, description?: string): SchemaObject {
  return {
    type: 'object', additionalProperties: true, ...(description ? { description } : {}), required: Object.keys(fields),
    properties: Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, typeof f === 'string' ? FIELDS[f] : f])),
  };
}

const pageOf = (item: SchemaObject, extra: Record<string, Field> = {}) =>
  shape({ ...extra, items: { type: 'array', items: item }, nextCursor: 'string?' });

const POLICY = (fields: Record<string, Field>) => shape({ version: 'integer', ...fields }, 'the rule set in force; version 0 before the first change');
const CHANGED = (fields: Record<string, Field>) => shape({ version: 'integer', changed: 'boolean', ...fields });

export const DIRECTORY_ENTRY = shape({ customerId: 'string' }, 'engagement\'s copy of the customer directory (from customers\' events)');
export const DIRECTORY_LIST = shape({ items: { type: 'array', items: DIRECTORY_ENTRY } });

export const LOYALTY_VIEW = shape({
  customerId: 'string', asOf: 'date', tier: 'string', tierSince: 'date?', tierPolicyVersion: 'integer?', points: 'integer', shortfall: 'integer',
  trailing12mPaid: 'objects', nextTier: 'object?', pointsExpiringNext: 'object?', downgradePendingSince: 'date?', downgradeOn: 'date?',
  policyVersion: 'integer', version: 'integer',
});
export const REDEMPTION = shape({ id: 'string', customerId: 'string', redemptionId: 'string', points: 'integer', reason: 'string', redeemedBy: 'string', redeemedAt: 'instant', balance: { type: 'integer', description: 'points left' }, version: 'integer' });
export const TIER_MEMBERS = pageOf(shape({ customerId: 'string' }), { tier: 'string' });
export const LOYALTY_POLICY = POLICY({});
export const LOYALTY_POLICY_CHANGED = CHANGED({});

export const COMPLAINT_SLA_POLICY = POLICY({});
export const COMPLAINT_SLA_POLICY_CHANGED = CHANGED({ hoursByClass: 'object' });
export const COMPLAINT_RAISED = shape({ id: 'string', status: { type: 'string', enum: ['open'] }, customerId: 'string', sla: 'object' });
export const COMPLAINT = shape({
  id: 'string', customerId: 'string', category: 'string', severity: 'string', description: 'string', status: { type: 'string', enum: ['open', 'acknowledged', 'resolved'] },
  raisedAt: 'instant', raisedBy: 'string', sla: 'object', acknowledgedAt: 'instant?', acknowledgedBy: 'string?', resolvedAt: 'instant?', resolvedBy: 'string?',
  resolution: 'string?', breaches: 'objects', slaBreached: 'boolean',
});
export const COMPLAINTS = pageOf(shape({ id: 'string', customerId: 'string', status: 'string' }));
export const COMPLAINT_ACKNOWLEDGED = shape({ id: 'string', status: { type: 'string', enum: ['acknowledged'] }, acknowledgedAt: 'instant', recorded: { ...FIELDS.strings, description: 'event types recorded' } });
export const COMPLAINT_RESOLVED = shape({ id: 'string', status: { type: 'string', enum: ['resolved'] }, resolvedAt: 'instant', resolution: 'string', recorded: 'strings' });

export const SURVEY_RESPONSE = shape({ id: 'string', customerId: 'string', kind: 'string', score: 'integer', comment: 'string?', respondedAt: 'instant', respondedOn: 'date', segment: 'object' });
export const SATISFACTION = shape({}, 'NPS and CSAT of a month, overall or by segment');

export const INTERACTION_RECORDED = shape({ id: 'string', followUpId: { type: 'string', nullable: true, description: 'the follow-up scheduled with it' } });
export const INTERACTIONS = pageOf(shape({ id: 'string', customerId: 'string' }));
export const FOLLOW_UPS = pageOf(shape({ id: 'string', customerId: 'string', status: 'string' }));
export const FOLLOW_UP_DONE = shape({ id: 'string', status: { type: 'string', enum: ['done'] }, completedAt: 'instant' });
export const CONTACT_PLAN_POLICY = POLICY({});
export const RULES_CHANGED = CHANGED({});

export const CARE_HOLIDAYS = shape({}, 'the holidays configured for care greetings, with their dates');
export const CARE_CALENDAR = pageOf(shape({ id: 'string', on: 'date' }));

export const CHURN_RISKS = pageOf(shape({ customerId: 'string' }), { minScore: 'number' });
export const CHURN_RISK = shape({ customerId: 'string' }, 'the churn score, its signals and the policy version behind it');
export const CHURN_POLICY = POLICY({});
export const CHURN_POLICY_CHANGED = CHANGED({});
