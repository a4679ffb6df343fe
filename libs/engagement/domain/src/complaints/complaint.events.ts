import { EngagementEventMap, TypedEvent } from '@crm/contracts';

type ComplaintEventMap = Pick<EngagementEventMap, 'ComplaintRaised' | 'ComplaintAcknowledged' | 'ComplaintResolved' | 'ComplaintSlaBreached'>;
type SurveyEventMap = Pick<EngagementEventMap, 'SurveyRequested'>;
type SurveyResponseEventMap = Pick<EngagementEventMap, 'SurveyResponseRecorded'>;

/** One complaint's life, in its own stream (`complaint-<id>`). */
export type ComplaintEvent = TypedEvent<ComplaintEventMap>;
/** A survey sent to a customer (`survey-<id>`). */
export type SurveyEvent = TypedEvent<SurveyEventMap>;
/** One answer (`survey-response-<id>`). */
export type SurveyResponseEvent = TypedEvent<SurveyResponseEventMap>;

export function complaintEvent<T extends ComplaintEvent['type']>(type: T, data: ComplaintEventMap[T]): ComplaintEvent {
  return { type, schemaVersion: 1, data } as ComplaintEvent;
}
