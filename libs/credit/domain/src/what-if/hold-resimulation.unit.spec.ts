import { addDays, EventEnvelope, HoldRulesV1 } from '@crm/contracts';
import { creditAccountDecider, CreditAccountCommand } from '../account/credit-account.decider';
import { CreditAccountState } from '../account/credit-account.state';
import { applyReceivablesEvent, holdFactsOf, initialFacts, sameHoldFacts } from '../facts/receivables-facts';
import { CreditPolicy, DEFAULT_CREDIT_POLICY } from '../policy/credit-policy';
import { ClosedCreditDay, CreditCalendar, RecordedCreditPolicy, resimulateHolds } from './hold-resimulation';
import { RecordedCreditEvent } from './hold-rules-what-if';

const C = '00000000-0000-4000-8000-000000000001';
const INV = '00000000-0000-4000-8000-0000000000a1';
const LIVE_RULES: HoldRulesV1 = { exposureOverLimit: true, maxDaysOverdue: 30, dunningLevel: 3 };
const policies: RecordedCreditPolicy[] = [{ version: 1, rules: { ...DEFAULT_CREDIT_POLICY, holdRules: LIVE_RULES }, recordedAt: '2025-12-01T09:00:00.000Z' }];
const livePolicy: CreditPolicy = { version: 1, rules: policies[0].rules };
const businessDateOf = (instant: string) => instant.slice(0, 10);

let version = 0;
const receivable = (type: string, on: string, data: object): EventEnvelope => {
  version += 1;
  return {
    id: `receivables-${version}`, type, schemaVersion: 1, source: 'crm.receivables', subject: C, time: `${on}T10:00:00.000Z`, recordedAt: `${on}T10:00:00.000Z`,
    streamId: `account-${C}`, streamVersion: version, data: { customerId: C, ...data }, metadata: { actor: { id: 'x', roles: [] }, correlationId: 'c', causationId: 'c' },
  };
};
const issued = (on: string, dueDate: string) => receivable('InvoiceIssued', on, {
  invoiceId: INV, number: 'I-1', currency: 'CNY', issueDate: on, lines: [], total: 100_000, terms: { type: 'net', days: 30 },
  installments: [{ dueDate, amount: 100_000 }], earlyPaymentDiscount: null,
});
const dunning = (on: string, level: number) => receivable('DunningLevelRaised', on, { invoiceId: INV, businessDate: on, level, previousLevel: level - 1, daysOverdue: 0, action: 'x' });
const paid = (on: string) => receivable('PaymentReceived', on, {
  paymentId: 'p', amount: 100_000, currency: 'CNY', receivedOn: on, method: 'bank', reference: 'r', allocations: [{ invoiceId: INV, amount: 100_000, discount: 0, kind: 'payment' }], unapplied: 0,
});
const close = (businessDate: string): ClosedCreditDay => ({
  eventId: `close-${businessDate}`, businessDate, occurredAt: `${businessDate}T18:00:00.000Z`, recordedAt: `${businessDate}T18:00:00.000Z`,
});

type Input = { receivable: EventEnvelope } | { close: ClosedCreditDay };

/**
 * Credit as it runs, in a few lines: each receivables event applied to the facts and, when what
 * the hold rules read changed, `EvaluateHold` caused by it; at each close, customers unpaid longer
 * than the live `maxDaysOverdue`. Recorded as the command handler records (ids, command, causation).
 */
function live(inputs: Input[]): RecordedCreditEvent[] {
  let state: CreditAccountState = creditAccountDecider.initialState();
  const facts = initialFacts(C);
  const events: RecordedCreditEvent[] = [];
  const record = (command: CreditAccountCommand, causationId: string, at: string) => {
    for (const e of creditAccountDecider.decide(command, state)) {
      state = creditAccountDecider.evolve(state, e);
      events.push({ ...e, id: `live-${events.length + 1}`, command: command.type, causationId, occurredAt: at, recordedAt: at.replace('00.000Z', '01.000Z') });
    }
  };
  for (const input of inputs) {
    if ('receivable' in input) {
      const e = input.receivable;
      const before = holdFactsOf(facts, []);
      applyReceivablesEvent(facts, e);
      const after = holdFactsOf(facts, [e.id]);
      if (!sameHoldFacts(before, after)) record({ type: 'EvaluateHold', data: { facts: after, on: businessDateOf(e.time) }, context: { policy: livePolicy } }, e.id, e.time);
    } else {
      const { businessDate, eventId, occurredAt } = input.close;
      const due = holdFactsOf(facts, []).oldestUnpaid?.dueDate;
      if (!due || !(due < addDays(businessDate, -LIVE_RULES.maxDaysOverdue))) continue;
      record({ type: 'EvaluateHold', data: { facts: holdFactsOf(facts, [eventId]), on: businessDate, businessDate }, context: { policy: livePolicy } }, eventId, occurredAt);
    }
  }
  return events;
}

const resimulate = (inputs: Input[], credit: RecordedCreditEvent[], change: Partial<HoldRulesV1>) => resimulateHolds({
  customerId: C, credit, change, policies, businessDateOf,
  receivables: inputs.flatMap((i) => ('receivable' in i ? [i.receivable] : [])),
  calendar: new CreditCalendar(inputs.flatMap((i) => ('close' in i ? [i.close] : []))),
});
const decided = (steps: ReturnType<typeof resimulate>['steps']) =>
  steps.map((s) => ({ type: s.event.type, on: (s.event.data as { placedOn?: string; releasedOn?: string }).placedOn ?? (s.event.data as { releasedOn?: string }).releasedOn,
    live: s.live?.id ?? null, trigger: s.trigger?.causationId ?? null }));

describe('resimulateHolds (what-if of the hold rules from the real inputs)', () => {
  beforeEach(() => { version = 0; });

  it('an invoice 20 days overdue: the live 30 days placed nothing (no decision recorded); 15 days places the hold at the close of the 20th day', () => {
    const inputs: Input[] = [{ receivable: issued('2026-01-01', '2026-01-31') }, { close: close('2026-02-10') }, { close: close('2026-02-20') }, { close: close('2026-02-25') }];
    expect(live(inputs)).toEqual([]);
    const { steps } = resimulate(inputs, [], { maxDaysOverdue: 15 });
    expect(decided(steps)).toEqual([{ type: 'CreditHoldPlaced', on: '2026-02-20', live: null, trigger: 'close-2026-02-20' }]);
    expect(steps[0].event.data).toMatchObject({
      policyVersion: 1, causes: [expect.objectContaining({ code: 'invoice-overdue', detail: `invoice ${INV} is 20 days overdue (more than 15)` })],
      inputs: expect.objectContaining({ asOfDate: '2026-02-20', daysOverdue: 20, rules: { ...LIVE_RULES, maxDaysOverdue: 15 } }),
    });
    expect(steps[0].trigger?.occurredAt).toBe('2026-02-20T18:00:00.000Z');
  });

  it('a hold from dunning level 2: placed at the receivables event that raised it (live decided nothing there); the live hold at level 3 is not recorded', () => {
    const inputs: Input[] = [{ receivable: issued('2026-01-01', '2026-01-31') }, { receivable: dunning('2026-02-05', 1) }, { receivable: dunning('2026-02-12', 2) },
      { receivable: dunning('2026-02-19', 3) }, { receivable: paid('2026-02-21') }];
    const recorded = live(inputs);
    expect(recorded.map((e) => [e.type, e.causationId])).toEqual([['CreditHoldPlaced', 'receivables-4'], ['CreditHoldReleased', 'receivables-5']]);
    const { steps } = resimulate(inputs, recorded, { dunningLevel: 2 });
    expect(decided(steps)).toEqual([
      { type: 'CreditHoldPlaced', on: '2026-02-12', live: null, trigger: 'receivables-3' },
      { type: 'CreditHoldReleased', on: '2026-02-21', live: 'live-2', trigger: 'receivables-5' },
    ]);
  });

  it('under the live rules (an empty change) reproduces the live events, each standing for its own live event', () => {
    const inputs: Input[] = [{ receivable: issued('2026-01-01', '2026-01-31') }, { receivable: dunning('2026-02-20', 3) }, { close: close('2026-03-01') },
      { close: close('2026-03-03') }, { receivable: paid('2026-03-04') }, { close: close('2026-03-04') }];
    const recorded = live(inputs);
    expect(recorded.map((e) => e.type)).toEqual(['CreditHoldPlaced', 'CreditHoldCausesChanged', 'CreditHoldReleased']);
    for (const change of [{}, LIVE_RULES]) {
      const { steps } = resimulate(inputs, recorded, change);
      expect(steps.map((s) => ({ type: s.event.type, data: s.event.data }))).toEqual(recorded.map((e) => ({ type: e.type, data: e.data })));
      expect(steps.map((s) => s.live?.id)).toEqual(recorded.map((e) => e.id));
    }
  });

  it('a laxer rule: the overdue hold of the close is not placed, and the live decision at that close is replaced by nothing', () => {
    const inputs: Input[] = [{ receivable: issued('2026-01-01', '2026-01-31') }, { close: close('2026-03-05') }];
    const recorded = live(inputs);
    expect(recorded.map((e) => [e.type, e.causationId])).toEqual([['CreditHoldPlaced', 'close-2026-03-05']]);
    expect(resimulate(inputs, recorded, { maxDaysOverdue: 60 }).steps).toEqual([]);
  });
});
