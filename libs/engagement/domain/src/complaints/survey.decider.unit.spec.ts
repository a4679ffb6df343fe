import { deciderSpec } from '@crm/testing';
import { SurveyResponseRecordedV1 } from '@crm/contracts';
import { surveyDecider, surveyResponseDecider } from './survey.decider';

const response = (kind: 'csat' | 'nps', score: number): SurveyResponseRecordedV1 => ({
  responseId: '33333333-3333-4333-8333-333333333333', customerId: '22222222-2222-4222-8222-222222222222', kind, score, comment: null,
  respondedAt: '2026-03-02T08:00:00.000Z', respondedOn: '2026-03-02', segment: { abcClass: 'A', region: 'East', tier: null },
});
const responses = deciderSpec(surveyResponseDecider);

describe('survey responses', () => {
  it.each([['csat', 1], ['csat', 5], ['nps', 0], ['nps', 10]] as const)('records a %s score of %i with its segment', (kind, score) =>
    responses.given([]).when({ type: 'RecordSurveyResponse', data: response(kind, score) })
      .then([{ type: 'SurveyResponseRecorded', schemaVersion: 1, data: response(kind, score) }]));

  it.each([['csat', 0], ['csat', 6], ['nps', -1], ['nps', 11], ['csat', 2.5]] as const)('refuses a %s score of %s, naming score', (kind, score) =>
    responses.given([]).when({ type: 'RecordSurveyResponse', data: response(kind, score) }).thenThrows('score-out-of-range', 'score'));

  it('refuses an unknown kind, naming kind', () =>
    responses.given([]).when({ type: 'RecordSurveyResponse', data: { ...response('csat', 3), kind: 'ces' as never } }).thenThrows('unknown-survey-kind', 'kind'));
});

describe('survey requests', () => {
  const requested = { surveyId: 's-1', customerId: 'c-1', kind: 'csat' as const, reason: 'complaint-resolved' as const, complaintId: 'k-1', requestedAt: '2026-03-02T08:00:00.000Z' };
  const surveys = deciderSpec(surveyDecider);

  it('requests a survey once; a repeat records nothing', () => {
    surveys.given([]).when({ type: 'RequestSurvey', data: requested }).then([{ type: 'SurveyRequested', schemaVersion: 1, data: requested }]);
    surveys.given([{ type: 'SurveyRequested', schemaVersion: 1, data: requested }]).when({ type: 'RequestSurvey', data: requested }).thenNothingHappened();
  });
});
