import { deciderSpec } from '@crm/testing';
import { complaintDecider, RaiseComplaint } from './complaint.decider';
import { complaintEvent, ComplaintEvent } from './complaint.events';
import { nextSlaDueOn } from './complaint.state';
import { slaFor } from './complaint-sla';

const spec = deciderSpec(complaintDecider);
const ID = '11111111-1111-4111-8111-111111111111';
const CUSTOMER = '22222222-2222-4222-8222-222222222222';
const RAISED_AT = '2026-03-02T08:00:00.000Z';
const TZ = 'Asia/Shanghai';

const raiseCommand = (abcClass: string | null): RaiseComplaint => ({
  type: 'RaiseComplaint',
  data: { complaintId: ID, customerId: CUSTOMER, category: 'delivery', severity: 'high', description: 'late truck', raisedAt: RAISED_AT, raisedBy: 'am-1' },
  context: { abcClass, timeZone: TZ },
});
const raised = (abcClass: string | null = null): ComplaintEvent => complaintDecider.decide(raiseCommand(abcClass), complaintDecider.initialState())[0];
const acknowledged = (at = '2026-03-02T09:00:00.000Z') =>
  complaintEvent('ComplaintAcknowledged', { complaintId: ID, customerId: CUSTOMER, acknowledgedAt: at, acknowledgedBy: 'am-1' });
const breached = (clock: 'acknowledge' | 'resolve', deadline: string, detectedAt: string) =>
  complaintEvent('ComplaintSlaBreached', { complaintId: ID, customerId: CUSTOMER, clock, deadline, detectedAt });
const breaches = (asOf: string) => ({ type: 'RecordSlaBreaches' as const, data: { asOf } });

describe('SLA clocks by ABC class', () => {
  it('gives class A 4 h to acknowledge and 24 h to resolve, recording class, hours, deadlines, their business dates and the rule version', () =>
    spec.given([]).when(raiseCommand('A')).then([complaintEvent('ComplaintRaised', {
      ...raiseCommand('A').data,
      sla: { abcClass: 'A', acknowledgeWithinHours: 4, resolveWithinHours: 24, acknowledgeBy: '2026-03-02T12:00:00.000Z', resolveBy: '2026-03-03T08:00:00.000Z',
        acknowledgeDueOn: '2026-03-02', resolveDueOn: '2026-03-03', policyVersion: 1 },
    })]));

  it.each([['B'], ['C'], [null]])('gives class %s 24 h and 72 h (an unclassified customer counts as C)', (abcClass) =>
    spec.given([]).when(raiseCommand(abcClass)).then(([e]) => expect(e.data).toMatchObject({
      sla: { abcClass, acknowledgeWithinHours: 24, resolveWithinHours: 72, acknowledgeBy: '2026-03-03T08:00:00.000Z', resolveBy: '2026-03-05T08:00:00.000Z' },
    })));

  it('dates a deadline in the business time zone: 20:00 UTC is the next day in Shanghai', () =>
    expect(slaFor('A', '2026-03-02T16:00:00.000Z', TZ)).toMatchObject({ acknowledgeBy: '2026-03-02T20:00:00.000Z', acknowledgeDueOn: '2026-03-03' }));

  it('refuses raising the same complaint twice', () => spec.given([raised()]).when(raiseCommand(null)).thenThrows('complaint-exists'));
});

describe('acknowledging and resolving', () => {
  const resolve = (at = '2026-03-03T09:00:00.000Z') => ({ type: 'ResolveComplaint' as const, data: { resolution: 'refund', resolvedAt: at, resolvedBy: 'am-1' } });
  const acknowledge = (at = '2026-03-02T09:00:00.000Z') => ({ type: 'AcknowledgeComplaint' as const, data: { acknowledgedAt: at, acknowledgedBy: 'am-1' } });

  it('acknowledges an open complaint in time without a breach', () => spec.given([raised('A')]).when(acknowledge()).then([acknowledged()]));

  it('refuses resolving before an acknowledgement (409 conflict)', () =>
    spec.given([raised()]).when(resolve()).thenThrows('complaint-not-acknowledged'));

  it('resolves an acknowledged complaint', () =>
    spec.given([raised(), acknowledged()]).when(resolve()).then([complaintEvent('ComplaintResolved',
      { complaintId: ID, customerId: CUSTOMER, resolution: 'refund', resolvedAt: '2026-03-03T09:00:00.000Z', resolvedBy: 'am-1' })]));

  it('refuses a second acknowledgement and a second resolution', () => {
    spec.given([raised(), acknowledged()]).when(acknowledge()).thenThrows('complaint-already-acknowledged');
    const resolved = complaintDecider.decide(resolve(), [raised(), acknowledged()].reduce(complaintDecider.evolve, complaintDecider.initialState()));
    spec.given([raised(), acknowledged(), ...resolved]).when(resolve()).thenThrows('complaint-already-resolved');
  });

  it('refuses commands on a complaint that was never raised', () => {
    spec.given([]).when(acknowledge()).thenThrows('complaint-not-found');
    spec.given([]).when(breaches(RAISED_AT)).thenThrows('complaint-not-found');
  });

  it('records the breach first when a step is done after its deadline and none was recorded yet', () =>
    spec.given([raised('A')]).when(acknowledge('2026-03-02T12:30:00.000Z')).then([
      breached('acknowledge', '2026-03-02T12:00:00.000Z', '2026-03-02T12:30:00.000Z'), acknowledged('2026-03-02T12:30:00.000Z')]));

  it('records no second breach when the late step follows a breach on record', () =>
    spec.given([raised('A'), breached('acknowledge', '2026-03-02T12:00:00.000Z', '2026-03-02T16:00:00.000Z')])
      .when(acknowledge('2026-03-02T17:00:00.000Z')).then([acknowledged('2026-03-02T17:00:00.000Z')]));
});

describe('breaches as time passes: once per clock', () => {
  it('records nothing before a deadline, nor at it', () => spec.given([raised('A')]).when(breaches('2026-03-02T12:00:00.000Z')).thenNothingHappened());

  it('breaches the acknowledge clock once its deadline has passed', () =>
    spec.given([raised('A')]).when(breaches('2026-03-02T13:00:00.000Z'))
      .then([breached('acknowledge', '2026-03-02T12:00:00.000Z', '2026-03-02T13:00:00.000Z')]));

  it('breaches both clocks when both deadlines have passed', () =>
    spec.given([raised('A')]).when(breaches('2026-03-04T00:00:00.000Z')).then((events) =>
      expect(events.map((e) => (e.data as { clock: string }).clock)).toEqual(['acknowledge', 'resolve'])));

  it('never breaches a clock twice', () =>
    spec.given([raised('A'), breached('acknowledge', '2026-03-02T12:00:00.000Z', '2026-03-02T13:00:00.000Z')])
      .when(breaches('2026-03-02T20:00:00.000Z')).thenNothingHappened());

  it('never breaches a step done in time', () =>
    spec.given([raised('A'), acknowledged()]).when(breaches('2026-03-02T20:00:00.000Z')).thenNothingHappened());

  it('breaches the resolve clock of an acknowledged complaint left unresolved', () =>
    spec.given([raised('A'), acknowledged()]).when(breaches('2026-03-03T08:00:01.000Z'))
      .then([breached('resolve', '2026-03-03T08:00:00.000Z', '2026-03-03T08:00:01.000Z')]));
});

describe('the day-close schedule', () => {
  const fold = (events: ComplaintEvent[]) => events.reduce(complaintDecider.evolve, complaintDecider.initialState());

  it('is due on the earliest running clock\'s business date, then the next, then never', () => {
    expect(nextSlaDueOn(fold([raised()]))).toBe('2026-03-03');
    expect(nextSlaDueOn(fold([raised(), acknowledged()]))).toBe('2026-03-05');
    expect(nextSlaDueOn(fold([raised(), acknowledged(), breached('resolve', '2026-03-05T08:00:00.000Z', '2026-03-06T00:00:00.000Z')]))).toBeNull();
  });
});
