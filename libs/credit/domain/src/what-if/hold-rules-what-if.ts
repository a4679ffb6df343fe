import { DomainError, HoldCauseV1, HoldInputsV1, HoldRulesV1 } from '@crm/contracts';
import { creditAccountDecider } from '../account/credit-account.decider';
import { CreditAccountEvent } from '../account/credit-account.events';
import { CreditAccountState } from '../account/credit-account.state';
import { holdDecision } from '../account/holds';
import { HoldFacts } from '../facts/receivables-facts';
import { DEFAULT_CREDIT_POLICY } from '../policy/credit-policy';

/** One recorded event of a credit stream, with the command that recorded it. */
export type RecordedCreditEvent = CreditAccountEvent & { id: string; command: string; causationId: string };

export interface HoldReplayStep {
  event: CreditAccountEvent;
  /** The live event of the same type the same decision recorded: the what-if step stands for it (keeps its id). */
  live?: RecordedCreditEvent;
}

type Group = { command: string; events: RecordedCreditEvent[] };

function groupsOf(events: RecordedCreditEvent[]): Group[] {
  const groups: Group[] = [];
  for (const e of events) {
    const last = groups[groups.length - 1];
    if (last && last.command === e.command && last.events[0].causationId === e.causationId) last.events.push(e);
    else groups.push({ command: e.command, events: [e] });
  }
  return groups;
}

type HoldDecisionEvent = Extract<RecordedCreditEvent, { type: 'CreditHoldPlaced' | 'CreditHoldReleased' | 'CreditHoldCausesChanged' | 'CreditHoldOverrideLapsed' }>;
const isHoldDecision = (e: RecordedCreditEvent): e is HoldDecisionEvent =>
  e.type === 'CreditHoldPlaced' || e.type === 'CreditHoldReleased' || e.type === 'CreditHoldCausesChanged' || e.type === 'CreditHoldOverrideLapsed';
const dateOf = (e: HoldDecisionEvent) => ('placedOn' in e.data ? e.data.placedOn : 'releasedOn' in e.data ? e.data.releasedOn
  : 'changedOn' in e.data ? e.data.changedOn : e.data.lapsedOn);

/**
 * The facts an automatic decision recorded, as `HoldFacts` again: its inputs carry every number
 * the rules read (exposure, limit, due date and days overdue, dunning level, the date counted
 * to); the invoice ids only where a cause cited them (detail text of a cause the live rules did
 * not find is not recorded, and only text depends on it).
 */
export function factsOfInputs(customerId: string, inputs: HoldInputsV1, events: HoldDecisionEvent[]): HoldFacts {
  const causes = events.flatMap((e) => ('causes' in e.data && Array.isArray(e.data.causes) ? e.data.causes : []) as Array<HoldCauseV1 | string>)
    .filter((c): c is HoldCauseV1 => typeof c === 'object');
  const cited = (code: HoldCauseV1['code']) => causes.find((c) => c.code === code);
  const invoiceIn = (cause?: HoldCauseV1) => /invoice (\S+) /.exec(cause?.detail ?? '')?.[1] ?? '(not cited)';
  const overdue = cited('invoice-overdue');
  const dunning = cited('dunning-level');
  return {
    customerId, version: inputs.factsVersion, businessDate: inputs.asOfDate, exposure: inputs.exposure,
    oldestUnpaid: inputs.oldestUnpaidDueDate ? { invoiceId: invoiceIn(overdue), dueDate: inputs.oldestUnpaidDueDate, eventIds: overdue?.eventIds ?? [] } : null,
    worstDunning: inputs.worstDunningLevel > 0 ? { invoiceId: invoiceIn(dunning), level: inputs.worstDunningLevel, eventId: dunning?.eventIds[0] ?? '' } : null,
    triggeredBy: [...new Set(events.flatMap((e) => e.data.facts))].filter((id) => !causes.some((c) => c.eventIds.includes(id))),
    exposureEventIds: cited('exposure-over-limit')?.eventIds ?? [],
  };
}

/**
 * One credit stream as it would have been under other hold rules (`change` over the rules each
 * decision recorded): every automatic hold decision is decided again by `holdDecision` from the
 * inputs it recorded, manual holds and releases by the decider against the what-if state (a
 * release of a customer the what-if never held is left out and counted), everything else kept.
 * Only the moments credit recorded a decision can be replayed: an evaluation that decided
 * nothing live left no inputs, so holds stricter rules would have placed then are not found.
 */
export function replayUnderHoldRules(events: RecordedCreditEvent[], change: Partial<HoldRulesV1>)
  : { steps: HoldReplayStep[]; refusedReleases: number } {
  const steps: HoldReplayStep[] = [];
  let state: CreditAccountState = creditAccountDecider.initialState();
  let refusedReleases = 0;
  const record = (decided: CreditAccountEvent[], live: RecordedCreditEvent[]) => {
    const unclaimed = [...live];
    for (const event of decided) {
      state = creditAccountDecider.evolve(state, event);
      const i = unclaimed.findIndex((l) => l.type === event.type);
      steps.push({ event, ...(i >= 0 ? { live: unclaimed.splice(i, 1)[0] } : {}) });
    }
  };
  for (const group of groupsOf(events)) {
    const holds = group.events.filter(isHoldDecision);
    const inputs = holds.map((e) => e.data.inputs).find((i): i is HoldInputsV1 => i !== null && i !== undefined);
    const first = holds[0];
    if (group.command === 'EvaluateHold' && first && inputs) {
      const policy = { version: first.data.policyVersion ?? 0, rules: { ...DEFAULT_CREDIT_POLICY, holdRules: { ...inputs.rules, ...change } } };
      const facts = factsOfInputs(first.data.customerId, inputs, holds);
      record(holdDecision(state, facts, state.limit, policy, dateOf(first)), group.events);
      continue;
    }
    if ((group.command === 'PlaceHold' || group.command === 'ReleaseHold') && first) {
      const policy = { version: first.data.policyVersion ?? 0, rules: DEFAULT_CREDIT_POLICY };
      const { customerId } = first.data;
      const reason = ('reason' in first.data ? first.data.reason : null) ?? '';
      try {
        record(creditAccountDecider.decide(group.command === 'PlaceHold'
          ? { type: 'PlaceHold', data: { customerId, reason, placedBy: ('placedBy' in first.data ? first.data.placedBy : null) ?? ('changedBy' in first.data ? first.data.changedBy : ''), placedOn: dateOf(first) }, context: { customerKnown: true, policy } }
          : { type: 'ReleaseHold', data: { customerId, reason, releasedBy: ('releasedBy' in first.data ? first.data.releasedBy : null) ?? '', releasedOn: dateOf(first) }, context: { customerKnown: true, policy } },
        state), group.events);
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'no-credit-hold')) throw error;
        refusedReleases += 1;
      }
      continue;
    }
    for (const event of group.events) {
      state = creditAccountDecider.evolve(state, event);
      steps.push({ event, live: event });
    }
  }
  return { steps, refusedReleases };
}
