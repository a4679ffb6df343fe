import { HoldRulesV1 } from '@crm/contracts';
import { creditAccountDecider, CreditAccountCommand } from '../account/credit-account.decider';
import { CreditAccountEvent } from '../account/credit-account.events';
import { CreditAccountState } from '../account/credit-account.state';
import { HoldFacts } from '../facts/receivables-facts';
import { defaultCreditPolicy } from '../policy/credit-policy';
import { CreditCalendar, resimulateHolds } from './hold-resimulation';
import { RecordedCreditEvent } from './hold-rules-what-if';

const C = '00000000-0000-4000-8000-000000000001';
const INV = '00000000-0000-4000-8000-0000000000a1';
const facts = (version: number, change: Partial<HoldFacts>): HoldFacts => ({
  customerId: C, version, businessDate: '2026-03-01', exposure: [{ currency: 'CNY', amount: 100_000 }], oldestUnpaid: null, worstDunning: null,
  triggeredBy: [`receivables-${version}`], ...change,
});

/** A history recorded by the real decider under the default hold rules (dunning level 3, more than 60 days overdue). */
function liveHistory() {
  let state: CreditAccountState = creditAccountDecider.initialState();
  const events: RecordedCreditEvent[] = [];
  let n = 0;
  const record = (command: CreditAccountCommand) => {
    n += 1;
    for (const e of creditAccountDecider.decide(command, state)) {
      state = creditAccountDecider.evolve(state, e);
      events.push({ ...e, id: `event-${events.length + 1}`, command: command.type, causationId: `cmd-${n}` });
    }
  };
  const evaluate = (f: HoldFacts, on: string) => record({ type: 'EvaluateHold', data: { facts: f, on }, context: { policy: defaultCreditPolicy() } });
  evaluate(facts(1, { worstDunning: { invoiceId: INV, level: 3, eventId: 'dunning-3' } }), '2026-03-01'); // placed: dunning level 3
  evaluate(facts(2, { businessDate: '2026-03-05' }), '2026-03-05'); // released: cleared
  evaluate(facts(3, { businessDate: '2026-05-10', oldestUnpaid: { invoiceId: INV, dueDate: '2026-03-01', eventIds: ['issued'] } }), '2026-05-10'); // 70 days: placed
  record({ type: 'ReleaseHold', data: { customerId: C, reason: 'paid by cheque', releasedBy: 'cm', releasedOn: '2026-05-11' }, context: { customerKnown: true, policy: defaultCreditPolicy() } });
  return events;
}

/** No receivables events to re-simulate from (their topic did not hold them): each decision is decided again from its recorded inputs. */
const replayUnderHoldRules = (events: RecordedCreditEvent[], change: Partial<HoldRulesV1>) => resimulateHolds({
  customerId: C, credit: events, receivables: [], calendar: new CreditCalendar([]), policies: [], change, businessDateOf: (instant) => instant.slice(0, 10),
});

const decisions = (events: CreditAccountEvent[]) => events.map((e) => [e.type, (e.data as { automatic?: boolean }).automatic ?? null]);

describe('resimulateHolds without the receivables events (what-if of the hold rules from recorded inputs)', () => {
  it('decides under the live rules exactly what was recorded, each step standing for its live event', () => {
    const live = liveHistory();
    const { steps, refusedReleases } = replayUnderHoldRules(live, {});
    expect(steps.map((s) => ({ type: s.event.type, data: s.event.data }))).toEqual(live.map((e) => ({ type: e.type, data: e.data })));
    expect(steps.map((s) => s.live?.id)).toEqual(live.map((e) => e.id));
    expect(refusedReleases).toBe(0);
    expect(decisions(live)).toEqual([['CreditHoldPlaced', true], ['CreditHoldReleased', true], ['CreditHoldPlaced', true], ['CreditHoldReleased', false]]);
  });

  it('a hold from dunning level 4 only: the first hold and its release never happen, the overdue one stays', () => {
    const { steps } = replayUnderHoldRules(liveHistory(), { dunningLevel: 4 });
    expect(decisions(steps.map((s) => s.event))).toEqual([['CreditHoldPlaced', true], ['CreditHoldReleased', false]]);
    expect(steps[0].live?.id).toBe('event-3');
  });

  it('overdue only after 90 days: the overdue hold is not placed, and the manual release of it is left out and counted', () => {
    const { steps, refusedReleases } = replayUnderHoldRules(liveHistory(), { maxDaysOverdue: 90 });
    expect(decisions(steps.map((s) => s.event))).toEqual([['CreditHoldPlaced', true], ['CreditHoldReleased', true]]);
    expect(refusedReleases).toBe(1);
  });

  it('without the receivables events, stricter rules decide again only where credit recorded a decision: overdue from 5 days finds nothing new where the inputs show nothing unpaid', () => {
    const { steps } = replayUnderHoldRules(liveHistory(), { maxDaysOverdue: 5, dunningLevel: 9 });
    // At the first decision nothing is overdue (no unpaid installment in its inputs), so the first hold is not placed; the second is.
    expect(decisions(steps.map((s) => s.event))).toEqual([['CreditHoldPlaced', true], ['CreditHoldReleased', false]]);
    expect((steps[0].event.data as { causes: Array<{ code: string; detail: string }> }).causes)
      .toEqual([expect.objectContaining({ code: 'invoice-overdue', detail: `invoice ${INV} is 70 days overdue (more than 5)` })]);
  });
});
