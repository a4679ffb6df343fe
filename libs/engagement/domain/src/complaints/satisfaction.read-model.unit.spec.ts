import { EventEnvelope } from '@crm/contracts';
import { envelopeOf } from '@crm/testing';
import { evolveSatisfaction, satisfactionKeys, satisfactionView, SatisfactionDoc } from './satisfaction.read-model';
import { endOfBusinessDate } from './business-time';

const response = (kind: string, score: number, segment = { abcClass: null as string | null, region: 'East' as string | null, tier: null as string | null }) =>
  envelopeOf({ type: 'SurveyResponseRecorded', data: { kind, score, respondedAt: '2026-03-31T20:00:00.000Z', respondedOn: '2026-04-01', segment } },
    { id: `e-${kind}-${score}`, subject: 'c', time: '2026-03-31T20:00:00.000Z' });

function project(events: EventEnvelope[]): Map<string, SatisfactionDoc> {
  const docs = new Map<string, SatisfactionDoc>();
  for (const e of events) for (const key of satisfactionKeys(e) ?? []) docs.set(key, evolveSatisfaction(docs.get(key), e, key)!);
  return docs;
}

describe('satisfaction counters by month and segment', () => {
  it('counts a response in its business month, in every segment, an unclassified customer as C', () =>
    expect(satisfactionKeys(response('csat', 4))).toEqual(['2026-04|all|~', '2026-04|abcClass|C', '2026-04|region|East', '2026-04|tier|~']));

  it('averages CSAT and scores NPS as % promoters − % detractors', () => {
    const docs = project([response('csat', 5), response('csat', 2), response('nps', 10), response('nps', 9), response('nps', 7), response('nps', 3)]);
    expect(satisfactionView(docs.get('2026-04|region|East')!)).toEqual({
      value: 'East', responses: 6, csat: { average: 3.5, responses: 2 },
      nps: { score: 25, responses: 4, promoters: 2, passives: 1, detractors: 1 },
    });
  });

  it('has no CSAT average or NPS without responses of that kind', () =>
    expect(satisfactionView(project([response('nps', 0)]).get('2026-04|all|~')!)).toMatchObject({ csat: { average: null }, nps: { score: -100 } }));
});

describe('the end of a business date', () => {
  it('is the next midnight in the business time zone', () => {
    expect(endOfBusinessDate('2026-03-02', 'Asia/Shanghai')).toBe('2026-03-02T16:00:00.000Z');
    expect(endOfBusinessDate('2026-03-02', 'UTC')).toBe('2026-03-03T00:00:00.000Z');
    expect(endOfBusinessDate('2026-03-28', 'Europe/Berlin')).toBe('2026-03-28T23:00:00.000Z');
    expect(endOfBusinessDate('2026-03-29', 'Europe/Berlin')).toBe('2026-03-29T22:00:00.000Z');
  });
});
