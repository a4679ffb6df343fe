import { EventContract } from '../json-schema';
import { date, int, nullable, obj, str, uuid } from '../schema-builders';

/** The engagement team's published complaints and surveys contract (streams `complaint-<id>`, `survey-<id>`). */
export const COMPLAINT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type ComplaintSeverity = (typeof COMPLAINT_SEVERITIES)[number];
export const SLA_CLOCKS = ['acknowledge', 'resolve'] as const;
export type SlaClock = (typeof SLA_CLOCKS)[number];
export const SURVEY_KINDS = ['csat', 'nps'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];

const instant = () => str({ format: 'date-time' });

export interface ComplaintRaisedV1 {
  complaintId: string;
  customerId: string;
  category: string;
  severity: ComplaintSeverity;
  description: string;
  raisedAt: string;
  raisedBy: string;
  /** The SLA the complaint is held to, from the customer's ABC class when raised (null class counts as C). */
  sla: {
    abcClass: string | null; acknowledgeWithinHours: number; resolveWithinHours: number; acknowledgeBy: string; resolveBy: string;
    /** Business dates (BUSINESS_TIME_ZONE) of the two deadlines: the day close that has to look at each. */
    acknowledgeDueOn?: string;
    resolveDueOn?: string;
    /** Version of the SLA rule set the hours come from. */
    policyVersion?: number;
  };
}
export interface ComplaintAcknowledgedV1 { complaintId: string; customerId: string; acknowledgedAt: string; acknowledgedBy: string }
export interface ComplaintResolvedV1 { complaintId: string; customerId: string; resolution: string; resolvedAt: string; resolvedBy: string }
/** A deadline passed before the step was done; `detectedAt` is the business time it was recorded (day close or the deadline policy). */
export interface ComplaintSlaBreachedV1 { complaintId: string; customerId: string; clock: SlaClock; deadline: string; detectedAt: string }

/** Hours of the two SLA clocks for one ABC class. */
export interface SlaHoursV1 { acknowledgeWithinHours: number; resolveWithinHours: number }
/** A new version of the SLA rule set (stream `complaint-sla-policy`); complaints raised later cite it, earlier ones keep theirs. */
export interface ComplaintSlaPolicyChangedV1 {
  version: number;
  /** An unclassified customer (null class) is held to C's hours. */
  hoursByClass: { A: SlaHoursV1; B: SlaHoursV1; C: SlaHoursV1 };
  changedBy: string;
  changedOn: string;
}

export interface SurveyRequestedV1 { surveyId: string; customerId: string; kind: SurveyKind; reason: 'complaint-resolved' | 'periodic'; complaintId: string | null; requestedAt: string }
export interface SurveyResponseRecordedV1 {
  responseId: string;
  customerId: string;
  kind: SurveyKind;
  /** CSAT 1–5, NPS 0–10. */
  score: number;
  comment: string | null;
  respondedAt: string;
  /** The business date (BUSINESS_TIME_ZONE) of respondedAt: the month results count it in. */
  respondedOn?: string;
  /** The segment the customer was in when it answered (results by segment replay as recorded). */
  segment: { abcClass: string | null; region: string | null; tier: string | null };
}

const slaHours = obj({ acknowledgeWithinHours: int(), resolveWithinHours: int() });

export const complaintContracts: EventContract[] = [
  { type: 'ComplaintRaised', version: 1, schema: obj({
    complaintId: uuid(), customerId: uuid(), category: str(), severity: str({ enum: [...COMPLAINT_SEVERITIES] }), description: str(),
    raisedAt: instant(), raisedBy: str(),
    sla: obj({ abcClass: nullable(str()), acknowledgeWithinHours: int(), resolveWithinHours: int(), acknowledgeBy: instant(), resolveBy: instant(),
      'acknowledgeDueOn?': date(), 'resolveDueOn?': date(), 'policyVersion?': int() }),
  }) },
  { type: 'ComplaintAcknowledged', version: 1, schema: obj({ complaintId: uuid(), customerId: uuid(), acknowledgedAt: instant(), acknowledgedBy: str() }) },
  { type: 'ComplaintResolved', version: 1, schema: obj({ complaintId: uuid(), customerId: uuid(), resolution: str(), resolvedAt: instant(), resolvedBy: str() }) },
  { type: 'ComplaintSlaBreached', version: 1, schema: obj({
    complaintId: uuid(), customerId: uuid(), clock: str({ enum: [...SLA_CLOCKS] }), deadline: instant(), detectedAt: instant(),
  }) },
  { type: 'ComplaintSlaPolicyChanged', version: 1, schema: obj({
    version: int(), hoursByClass: obj({ A: slaHours, B: slaHours, C: slaHours }), changedBy: str(), changedOn: date(),
  }) },
  { type: 'SurveyRequested', version: 1, schema: obj({
    surveyId: uuid(), customerId: uuid(), kind: str({ enum: [...SURVEY_KINDS] }), reason: str({ enum: ['complaint-resolved', 'periodic'] }),
    complaintId: nullable(uuid()), requestedAt: instant(),
  }) },
  { type: 'SurveyResponseRecorded', version: 1, schema: obj({
    responseId: uuid(), customerId: uuid(), kind: str({ enum: [...SURVEY_KINDS] }), score: int(), comment: nullable(str()), respondedAt: instant(), 'respondedOn?': date(),
    segment: obj({ abcClass: nullable(str()), region: nullable(str()), tier: nullable(str()) }),
  }) },
];
