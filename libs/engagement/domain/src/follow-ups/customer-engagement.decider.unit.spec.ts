import { deciderSpec } from '@crm/testing';
import { cadenceFor, CONTACT_PLAN, contactPlanPolicyDecider } from './contact-plan';
import { CloseFollowUpDay, customerEngagementDecider, CustomerContext, RecordInteraction } from './customer-engagement.decider';
import { engagementEvent } from './customer-engagement.events';
import { initialCustomerEngagement, nextFollowUpWorkOn } from './customer-engagement.state';

const spec = deciderSpec(customerEngagementDecider);
const CUSTOMER = '22222222-2222-4222-8222-222222222222';
const INTERACTION = '33333333-3333-4333-8333-333333333333';
const FOLLOW_UP = '44444444-4444-4444-8444-444444444444';
const PLAN_FOLLOW_UP = '55555555-5555-4555-8555-555555555555';
const TZ = 'Asia/Shanghai';
const context = (abcClass: 'A' | 'B' | 'C' | null = null, archived = false): CustomerContext => ({ abcClass, accountManager: 'am-li', archived, timeZone: TZ, plan: CONTACT_PLAN });

const record = (nextFollowUpOn: string | null, occurredAt = '2026-03-02T01:00:00.000Z', abcClass: 'A' | 'B' | 'C' | null = null): RecordInteraction => ({
  type: 'RecordInteraction',
  data: { interactionId: INTERACTION, customerId: CUSTOMER, channel: 'phone', direction: 'outbound', subject: 'renewal', outcome: 'call back',
    occurredAt, recordedBy: 'am-li', nextFollowUpOn, followUpId: FOLLOW_UP },
  context: context(abcClass),
});
const registered = (on = '2026-01-01', eventId = 'reg-1') =>
  customerEngagementDecider.decide({ type: 'UpdateContactPlan', data: { customerId: CUSTOMER, kind: 'registration', eventId, on }, context: { plan: CONTACT_PLAN } }, initialCustomerEngagement());
const scheduled = (dueOn: string, id = FOLLOW_UP) => engagementEvent('FollowUpScheduled', {
  followUpId: id, customerId: CUSTOMER, dueOn, reason: 'interaction', accountManager: 'am-li',
  source: { kind: 'interaction', id: INTERACTION, cadenceDays: null, lastContactOn: null, planVersion: null },
});
const close = (businessDate: string, archived = false): CloseFollowUpDay => ({
  type: 'CloseFollowUpDay', data: { businessDate, planFollowUpId: PLAN_FOLLOW_UP }, context: context(null, archived),
});
const stateOf = (events: ReturnType<typeof registered>) => events.reduce(customerEngagementDecider.evolve, initialCustomerEngagement());

describe('interactions and their follow-ups', () => {
  it('records the interaction, a follow-up due on nextFollowUpOn for the account manager, and moves the plan to the business date of the contact', () =>
    spec.given(registered()).when(record('2026-03-09')).then([
      engagementEvent('InteractionRecorded', { interactionId: INTERACTION, customerId: CUSTOMER, channel: 'phone', direction: 'outbound', subject: 'renewal',
        outcome: 'call back', occurredAt: '2026-03-02T01:00:00.000Z', recordedBy: 'am-li', nextFollowUpOn: '2026-03-09' }),
      scheduled('2026-03-09'),
      engagementEvent('ContactPlanChanged', { customerId: CUSTOMER, abcClass: null, cadenceDays: 180, noticeDays: 7, active: true, lastContactOn: '2026-03-02',
        nextDueOn: '2026-08-29', planVersion: 1, cause: { kind: 'interaction', eventId: INTERACTION } }),
    ]));

  it('counts the contact on the business zone\'s date: 20:00 UTC is the next day in Shanghai', () =>
    spec.given(registered()).when(record(null, '2026-03-02T20:00:00.000Z')).then((events) =>
      expect(events.map((e) => [e.type, e.type === 'ContactPlanChanged' ? e.data.lastContactOn : null]))
        .toEqual([['InteractionRecorded', null], ['ContactPlanChanged', '2026-03-03']])));

  it('refuses a follow-up dated before the interaction, naming nextFollowUpOn', () =>
    spec.given(registered()).when(record('2026-03-01')).thenThrows('follow-up-before-interaction', 'nextFollowUpOn'));

  it('leaves the plan as it is for a backdated interaction older than the last contact', () => {
    const first = customerEngagementDecider.decide(record(null, '2026-03-10T01:00:00.000Z'), stateOf(registered()));
    spec.given([...registered(), ...first]).when(record(null, '2026-03-02T01:00:00.000Z')).then((events) => expect(events.map((e) => e.type)).toEqual(['InteractionRecorded']));
  });
});

describe('completing a follow-up', () => {
  const complete = (followUpId = FOLLOW_UP) => ({ type: 'CompleteFollowUp' as const, data: { followUpId, completedAt: '2026-03-08T02:00:00.000Z', completedBy: 'am-li' } });
  const completed = engagementEvent('FollowUpCompleted', { followUpId: FOLLOW_UP, completedAt: '2026-03-08T02:00:00.000Z', completedBy: 'am-li', customerId: CUSTOMER });

  it('completes a due follow-up', () => spec.given([...registered(), scheduled('2026-03-09')]).when(complete()).then([completed]));
  it('refuses an unknown follow-up (404)', () => spec.given(registered()).when(complete()).thenThrows('follow-up-not-found'));
  it('refuses completing a done one (409)', () => spec.given([...registered(), scheduled('2026-03-09'), completed]).when(complete()).thenThrows('follow-up-already-done'));
  it('completes a missed one late, the miss staying on record', () => spec.given([...registered(), scheduled('2026-03-09'),
    engagementEvent('FollowUpMissed', { followUpId: FOLLOW_UP, customerId: CUSTOMER, dueOn: '2026-03-09', businessDate: '2026-03-09' })]).when(complete()).then([completed]));
});

describe('missed follow-ups on day close', () => {
  it('records nothing before the due date', () => spec.given([...registered(), scheduled('2026-03-09')]).when(close('2026-03-08')).thenNothingHappened());

  it('records a follow-up not done by its date as missed at the close of that date (or a later one)', () => {
    const missed = (businessDate: string) => [engagementEvent('FollowUpMissed', { followUpId: FOLLOW_UP, customerId: CUSTOMER, dueOn: '2026-03-09', businessDate })];
    spec.given([...registered(), scheduled('2026-03-09')]).when(close('2026-03-09')).then(missed('2026-03-09'));
    spec.given([...registered(), scheduled('2026-03-09')]).when(close('2026-03-12')).then(missed('2026-03-12'));
  });

  it('never misses a done follow-up, and the schedule then points at the plan\'s notice date', () => {
    const history = [...registered(), scheduled('2026-03-09'),
      engagementEvent('FollowUpCompleted', { followUpId: FOLLOW_UP, customerId: CUSTOMER, completedAt: '2026-03-08T02:00:00.000Z', completedBy: 'am-li' })];
    spec.given(history).when(close('2026-03-10')).thenNothingHappened();
    expect(nextFollowUpWorkOn(stateOf(history))).toBe('2026-06-23');
  });
});

describe('the contact plan', () => {
  it.each([['A', 30], ['B', 90], ['C', 180], [null, 180]] as const)('gives class %s a cadence of %i days (no class counts as C)', (abcClass, days) =>
    expect(cadenceFor(abcClass)).toBe(days));

  it('starts at registration: the next plan follow-up is due cadence days after it', () =>
    expect(registered('2026-01-01')).toEqual([engagementEvent('ContactPlanChanged', { customerId: CUSTOMER, abcClass: null, cadenceDays: 180, noticeDays: 7, active: true,
      lastContactOn: '2026-01-01', nextDueOn: '2026-06-30', planVersion: 1, cause: { kind: 'registration', eventId: 'reg-1' } })]));

  it('changes the cadence on a class change, from the same last contact; the same class again records nothing', () => {
    const toA = { type: 'UpdateContactPlan' as const, data: { customerId: CUSTOMER, kind: 'class-change' as const, eventId: 'cls-1', on: '2026-02-01', abcClass: 'A' as const },
      context: { plan: CONTACT_PLAN } };
    spec.given(registered()).when(toA).then([engagementEvent('ContactPlanChanged', { customerId: CUSTOMER, abcClass: 'A', cadenceDays: 30, noticeDays: 7, active: true,
      lastContactOn: '2026-01-01', nextDueOn: '2026-01-31', planVersion: 1, cause: { kind: 'class-change', eventId: 'cls-1' } })]);
    spec.given([...registered(), ...customerEngagementDecider.decide(toA, stateOf(registered()))]).when(toA).thenNothingHappened();
  });

  it('records a registration seen twice once', () => spec.given(registered()).when({
    type: 'UpdateContactPlan', data: { customerId: CUSTOMER, kind: 'registration', eventId: 'reg-1', on: '2026-01-01' }, context: { plan: CONTACT_PLAN } })
    .thenNothingHappened());

  it('schedules the plan follow-up at the close of its notice date (7 days ahead), due on the plan date, with cadence, last contact and rule version', () => {
    spec.given(registered()).when(close('2026-06-22')).thenNothingHappened();
    spec.given(registered()).when(close('2026-06-23')).then([engagementEvent('FollowUpScheduled', {
      followUpId: PLAN_FOLLOW_UP, customerId: CUSTOMER, dueOn: '2026-06-30', reason: 'contact-plan', accountManager: 'am-li',
      source: { kind: 'contact-plan', id: null, cadenceDays: 180, lastContactOn: '2026-01-01', planVersion: 1 },
    })]);
    expect(nextFollowUpWorkOn(stateOf(registered()))).toBe('2026-06-23');
  });

  it('dates a late plan follow-up the day after the close, and none while another follow-up is open', () => {
    spec.given(registered()).when(close('2026-07-05')).then(([e]) => expect(e.data).toMatchObject({ dueOn: '2026-07-06', reason: 'contact-plan' }));
    spec.given([...registered(), scheduled('2026-07-20')]).when(close('2026-07-05')).thenNothingHappened();
  });

  it('misses the open follow-up and schedules the plan\'s in the same close when the plan date has come', () =>
    spec.given([...registered(), scheduled('2026-07-01')]).when(close('2026-07-01')).then((events) =>
      expect(events.map((e) => e.type)).toEqual(['FollowUpMissed', 'FollowUpScheduled'])));

  it('stops for an archived customer: no plan follow-up and no schedule', () => {
    const archived = customerEngagementDecider.decide({ type: 'UpdateContactPlan',
      data: { customerId: CUSTOMER, kind: 'archived', eventId: 'arc-1', on: '2026-02-01' }, context: { plan: CONTACT_PLAN } }, stateOf(registered()));
    expect(archived[0].data).toMatchObject({ active: false, nextDueOn: null });
    spec.given([...registered(), ...archived]).when(close('2026-07-05')).thenNothingHappened();
    expect(nextFollowUpWorkOn(stateOf([...registered(), ...archived]))).toBeNull();
  });
});

describe('retention follow-ups from churn flags', () => {
  const retention = { type: 'ScheduleRetentionFollowUp' as const,
    data: { followUpId: FOLLOW_UP, customerId: CUSTOMER, flagEventId: 'flag-1', flaggedOn: '2026-04-10', accountManager: 'am-wang' }, context: { plan: CONTACT_PLAN } };

  it('gives the flag\'s account manager a retention follow-up due 3 days after the flag, citing the flag event', () =>
    spec.given(registered()).when(retention).then([engagementEvent('FollowUpScheduled', {
      followUpId: FOLLOW_UP, customerId: CUSTOMER, dueOn: '2026-04-13', reason: 'retention', accountManager: 'am-wang',
      source: { kind: 'retention', id: 'flag-1', cadenceDays: null, lastContactOn: null, planVersion: 1 },
    })]));

  it('records one per flag event', () => {
    const first = customerEngagementDecider.decide(retention, stateOf(registered()));
    spec.given([...registered(), ...first]).when({ ...retention, data: { ...retention.data, followUpId: PLAN_FOLLOW_UP } }).thenNothingHappened();
    spec.given([...registered(), ...first]).when({ ...retention, data: { ...retention.data, followUpId: PLAN_FOLLOW_UP, flagEventId: 'flag-2' } })
      .then(([e]) => expect(e.data).toMatchObject({ followUpId: PLAN_FOLLOW_UP, source: { id: 'flag-2' } }));
  });
});

describe('the contact plan\'s rules as versions', () => {
  const policySpec = deciderSpec(contactPlanPolicyDecider);
  const change = (A: number, B: number, C: number, noticeDays = 7) => ({ type: 'ChangeContactPlanPolicy' as const,
    data: { cadenceDays: { A, B, C }, noticeDays, retentionDueInDays: 3, changedBy: 'admin-1' } });
  const v2 = { type: 'ContactPlanPolicyChanged', schemaVersion: 1,
    data: { version: 2, cadenceDays: { A: 20, B: 60, C: 120 }, noticeDays: 7, retentionDueInDays: 3, changedBy: 'admin-1' } } as const;

  it('records a change as the next version (version 1 is built in); the same rules again record nothing', () => {
    policySpec.given([]).when(change(20, 60, 120)).then([v2]);
    policySpec.given([v2]).when(change(20, 60, 120)).thenNothingHappened();
    policySpec.given([]).when(change(30, 90, 180)).thenNothingHappened();
  });

  it('refuses cadences growing shorter from A to C, and a notice as long as A\'s cadence', () => {
    policySpec.given([]).when(change(90, 30, 180)).thenThrows('cadence-out-of-order', 'cadenceDays');
    policySpec.given([]).when(change(7, 30, 180, 7)).thenThrows('notice-too-long', 'noticeDays');
  });

  it('plans a class change by the rules in force, recording their version; earlier decisions keep theirs', () => {
    const rules = contactPlanPolicyDecider.evolve(contactPlanPolicyDecider.initialState(), v2);
    const toB = { type: 'UpdateContactPlan' as const, data: { customerId: CUSTOMER, kind: 'class-change' as const, eventId: 'cls-2', on: '2026-02-01', abcClass: 'B' as const },
      context: { plan: rules } };
    spec.given(registered()).when(toB).then(([e]) => expect(e.data).toMatchObject({ cadenceDays: 60, nextDueOn: '2026-03-02', planVersion: 2 }));
    expect(registered()[0].data).toMatchObject({ cadenceDays: 180, planVersion: 1 });
  });
});
