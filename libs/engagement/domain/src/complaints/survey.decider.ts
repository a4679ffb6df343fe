import { Decider, domainError, SurveyKind, SurveyRequestedV1, SurveyResponseRecordedV1 } from '@crm/contracts';
import { SurveyEvent, SurveyResponseEvent } from './complaint.events';

export interface RequestSurvey { type: 'RequestSurvey'; data: SurveyRequestedV1 }
export interface SurveyState { requested: boolean }

/** A survey is requested once per stream: a repeated request (a redelivered ComplaintResolved) records nothing. */
export const surveyDecider: Decider<SurveyState, RequestSurvey, SurveyEvent> = {
  initialState: () => ({ requested: false }),
  evolve: (state) => {
    state.requested = true;
    return state;
  },
  decide: ({ data }, state) => (state.requested ? [] : [{ type: 'SurveyRequested', schemaVersion: 1, data }]),
};

/** Score ranges by kind: CSAT 1–5, NPS 0–10. */
export const SURVEY_SCORE_RANGES: Record<SurveyKind, { min: number; max: number }> = { csat: { min: 1, max: 5 }, nps: { min: 0, max: 10 } };

export interface RecordSurveyResponse { type: 'RecordSurveyResponse'; data: SurveyResponseRecordedV1 }
export interface SurveyResponseState { recorded: boolean }

export const surveyResponseDecider: Decider<SurveyResponseState, RecordSurveyResponse, SurveyResponseEvent> = {
  initialState: () => ({ recorded: false }),
  evolve: (state) => {
    state.recorded = true;
    return state;
  },
  decide({ data }, state) {
    if (state.recorded) throw domainError('survey-response-exists', 'conflict', `survey response ${data.responseId} already exists`);
    const range = SURVEY_SCORE_RANGES[data.kind];
    if (!range) throw domainError('unknown-survey-kind', 'invalid', `kind must be one of ${Object.keys(SURVEY_SCORE_RANGES).join(', ')}`, 'kind');
    if (!Number.isInteger(data.score) || data.score < range.min || data.score > range.max) {
      throw domainError('score-out-of-range', 'invalid', `a ${data.kind} score is an integer from ${range.min} to ${range.max}`, 'score',
        { kind: data.kind, min: range.min, max: range.max });
    }
    return [{ type: 'SurveyResponseRecorded', schemaVersion: 1, data }];
  },
};
