import { DomainError, HoldCauseV1, HoldInputsV1, HoldRulesV1 } from '@crm/contracts';
import { creditAccountDecider } from '../account/credit-account.decider';
import { CreditAccountEvent } from '../account/credit-account.events';
import { CreditAccountState } from '../account/credit-account.state';
import { EvaluateHold, holdDecision } from '../account/holds';
import { HoldFacts } from '../facts/receivables-facts';
import { CreditPolicy, DEFAULT_CREDIT_POLICY } from '../policy/credit-policy';

/** One recorded event of a credit stream, with the command that recorded it (and when: recorded, to merge it with receivables' events). */
export type RecordedCreditEvent = CreditAccountEvent & { id: string; command: string; causationId: string; occurredAt?: string; recordedAt?: string };

/** What a what-if decision with no live event of its kind was taken on: the trigger's id (its causation) and business time. */
export interface HoldTrigger { causationId: string; occurredAt: string }

export interface HoldReplayStep {
  event: CreditAccountEvent;
  /** The live event of the same type the same decision recorded: the what-if step stands for it (keeps its id). */
  live?: RecordedCreditEvent;
  /** What an automatic decision was taken on (its id and time are what a step with no live event to stand for records). */
  trigger?: HoldTrigger;
}

/** The events one command recorded (consecutive, same command and causation). */
export type LiveGroup = { command: string; events: RecordedCreditEvent[] };

export function groupsOf(events: RecordedCreditEvent[]): LiveGroup[] {
  const groups: LiveGroup[] = [];
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
const recordedInputs = (holds: HoldDecisionEvent[]) => holds.map((e) => e.data.inputs).find((i): i is HoldInputsV1 => i !== null && i !== undefined);

/** The hold rules under which the what-if decides again what a live group decided: the rules it recorded, changed. */
export function citedPolicy(group: LiveGroup, change: Partial<HoldRulesV1>): CreditPolicy | undefined {
  const holds = group.events.filter(isHoldDecision);
  const inputs = recordedInputs(holds);
  if (!holds[0] || !inputs) return undefined;
  return { version: holds[0].data.policyVersion ?? 0, rules: { ...DEFAULT_CREDIT_POLICY, holdRules: { ...inputs.rules, ...change } } };
}

/** The receivables version an automatic live decision was taken on (what a day close had applied when it ran). */
export function factsVersionOf(group: LiveGroup): number | undefined {
  return recordedInputs(group.events.filter(isHoldDecision))?.factsVersion;
}

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
 * One credit stream folded again decision by decision under other hold rules: the state each
 * decision sees is the what-if's own, and each decided event stands for the live event of its
 * type the same trigger recorded (it keeps that id). Manual holds and releases are decided by
 * the decider against the what-if state (a release of a customer the what-if never held is left
 * out and counted), everything else is kept as recorded.
 */
export class HoldReplay {
  readonly steps: HoldReplayStep[] = [];
  refusedReleases = 0;
  private state: CreditAccountState = creditAccountDecider.initialState();

  constructor(private readonly change: Partial<HoldRulesV1>) {}

  /** An automatic evaluation re-simulated at its trigger, as credit's hold policy or day close would have sent it. */
  evaluate(data: EvaluateHold['data'], policy: CreditPolicy, live: RecordedCreditEvent[], trigger: HoldTrigger): void {
    this.record(creditAccountDecider.decide({ type: 'EvaluateHold', data, context: { policy } }, this.state), live, trigger);
  }

  /** A live group as it would have come out: automatic decisions from the inputs they recorded, manual ones decided again, the rest kept. */
  replay(group: LiveGroup): void {
    const holds = group.events.filter(isHoldDecision);
    const first = holds[0];
    const inputs = recordedInputs(holds);
    const policy = citedPolicy(group, this.change);
    if (group.command === 'EvaluateHold' && first && inputs && policy) {
      this.record(holdDecision(this.state, factsOfInputs(first.data.customerId, inputs, holds), this.state.limit, policy, dateOf(first)), group.events,
        { causationId: first.causationId, occurredAt: first.occurredAt ?? `${dateOf(first)}T00:00:00.000Z` });
    } else if ((group.command === 'PlaceHold' || group.command === 'ReleaseHold') && first) {
      this.manual(group, first);
    } else {
      for (const event of group.events) {
        this.state = creditAccountDecider.evolve(this.state, event);
        this.steps.push({ event, live: event });
      }
    }
  }

  private manual(group: LiveGroup, first: HoldDecisionEvent): void {
    const command = group.command;
    const policy = { version: first.data.policyVersion ?? 0, rules: DEFAULT_CREDIT_POLICY };
    const { customerId } = first.data;
    const reason = ('reason' in first.data ? first.data.reason : null) ?? '';
    const context = { customerKnown: true, policy };
    try {
      this.record(creditAccountDecider.decide(command === 'PlaceHold'
        ? { type: 'PlaceHold', data: { customerId, reason, placedBy: ('placedBy' in first.data ? first.data.placedBy : null) ?? ('changedBy' in first.data ? first.data.changedBy : ''), placedOn: dateOf(first) }, context }
        : { type: 'ReleaseHold', data: { customerId, reason, releasedBy: ('releasedBy' in first.data ? first.data.releasedBy : null) ?? '', releasedOn: dateOf(first) }, context },
      this.state), group.events);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'no-credit-hold')) throw error;
      this.refusedReleases += 1;
    }
  }

  private record(decided: CreditAccountEvent[], live: RecordedCreditEvent[], trigger?: HoldTrigger): void {
    const unclaimed = [...live];
    for (const event of decided) {
      this.state = creditAccountDecider.evolve(this.state, event);
      const i = unclaimed.findIndex((l) => l.type === event.type);
      const claimed = i >= 0 ? unclaimed.splice(i, 1)[0] : undefined;
      this.steps.push({ event, ...(claimed ? { live: claimed } : {}), ...(trigger ? { trigger } : {}) });
    }
  }
}
