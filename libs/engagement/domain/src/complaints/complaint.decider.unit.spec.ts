import { deciderSpec } from '@crm/testing';
import { complaintDecider, RaiseComplaint } from './complaint.decider';
import { complaintEvent, ComplaintEvent } from './complaint.events';
import { nextSlaDueOn } from './complaint.state';
import { complaintSlaPolicyDecider, DEFAULT_COMPLAINT_SLA_POLICY, slaFor } from './complaint-sla';

const spec = deciderSpec(complaintDecider);
const ID = '11111111-1111-4111-8111-111111111111';
const CUSTOMER = '22222222-2222-4222-8222-222222222222';
const RAISED_AT = '2026-03-02T08:00:00.000Z';
const TZ = 'Asia/Shanghai';

const raiseCommand = (abcClass: string | null): RaiseComplaint => ({
  type: 'RaiseComplaint',
  data: { complaintId: ID, customerId: CUSTOMER, category: 'delivery', severity: 'high', description: 'late truck', raisedAt: RAISED_AT, raisedBy: 'am-1' },
  context: { abcClass, policy: DEFAULT_COMPLAINT_SLA_POLICY, timeZone: TZ },
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
        acknowledgeDueOn: '2026-03-02', resolveDueOn: '2026-03-03', policyVersion: 0 },
    })]));

  it.each([['B'], ['C'], [null]])('gives class %s 24 h and 72 h (an unclassified customer counts as C)', (abcClass) =>
    spec.given([]).when(raiseCommand(abcClass)).then(([e]) => expect(e.data).toMatchObject({
      sla: { abcClass, acknowledgeWithinHours: 24, resolveWithinHours: 72, acknowledgeBy: '2026-03-03T08:00:00.000Z', resolveBy: '2026-03-05T08:00:00.000Z' },
    })));

  it('dates a deadline in the business time zone: 20:00 UTC is the next day in Shanghai', () =>
    expect(slaFor('A', '2026-03-02T16:00:00.000Z', TZ, DEFAULT_COMPLAINT_SLA_POLICY)).toMatchObject({ acknowledgeBy: '2026-03-02T20:00:00.000Z', acknowledgeDueOn: '2026-03-03' }));

  it('holds a complaint to the rule set in force, citing its version', () => {
    const policy = { version: 3, hoursByClass: { ...DEFAULT_COMPLAINT_SLA_POLICY.hoursByClass, C: { acknowledgeWithinHours: 8, resolveWithinHours: 48 } } };
    spec.given([]).when({ ...raiseCommand(null), context: { abcClass: null, policy, timeZone: TZ } }).then(([e]) => expect(e.data).toMatchObject({
      sla: { acknowledgeWithinHours: 8, resolveWithinHours: 48, acknowledgeBy: '2026-03-02T16:00:00.000Z', policyVersion: 3 },
    }));
  });

  it('refuses raising the same complaint twice', () => spec.given([raised()]).when(raiseCommand(null)).thenThrows('complaint-exists'));
});

describe('the SLA rule set', () => {
  const policies = deciderSpec(complaintSlaPolicyDecider);
  const change = (C: { acknowledgeWithinHours: number; resolveWithinHours: number }) => ({ type: 'ChangeComplaintSlaPolicy' as const,
    data: { hoursByClass: { ...DEFAULT_COMPLAINT_SLA_POLICY.hoursByClass, C }, changedBy: 'admin-1', changedOn: '2026-03-01' } });

  it('records the next version; the same hours again record nothing', () => {
    policies.given([]).when(change({ acknowledgeWithinHours: 8, resolveWithinHours: 48 })).then([{ type: 'ComplaintSlaPolicyChanged', schemaVersion: 1,
      data: { version: 1, ...change({ acknowledgeWithinHours: 8, resolveWithinHours: 48 }).data } }]);
    policies.given([]).when(change(DEFAULT_COMPLAINT_SLA_POLICY.hoursByClass.C)).thenNothingHappened();
  });

  it('refuses hours out of range or resolving due before acknowledging, naming the field', () => {
    policies.given([]).when(change({ acknowledgeWithinHours: 0, resolveWithinHours: 48 })).thenThrows('sla-hours-out-of-range', 'hoursByClass.C.acknowledgeWithinHours');
    policies.given([]).when(change({ acknowledgeWithinHours: 48, resolveWithinHours: 8 })).thenThrows('sla-resolve-before-acknowledge', 'hoursByClass.C.resolveWithinHours');
  });
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
