import { addDays, CreditPolicyRulesV1, EventEnvelope, HoldRulesV1 } from '@crm/contracts';
import { applyReceivablesEvent, holdFactsOf, initialFacts, isReceivablesAccountEvent, sameHoldFacts } from '../facts/receivables-facts';
import { CreditPolicy, DEFAULT_CREDIT_POLICY } from '../policy/credit-policy';
import { citedPolicy, factsVersionOf, groupsOf, HoldReplay, HoldReplayStep, LiveGroup, RecordedCreditEvent } from './hold-rules-what-if';

/** One closed credit business date (`CreditBusinessDayClosed`): its day close counts days overdue to it. */
export interface ClosedCreditDay { eventId: string; businessDate: string; occurredAt: string; recordedAt: string }

const instantOf = (iso: string | undefined) => (iso ? Date.parse(iso) : Number.NEGATIVE_INFINITY);

/** Credit's closed business dates, in date order, built once for every customer: their instants read once, searched by halving. */
export class CreditCalendar {
  readonly instants: number[];

  constructor(readonly closes: ClosedCreditDay[]) {
    this.instants = closes.map((c) => instantOf(c.recordedAt));
  }

  /** The index of the first close from `from` on recorded after `at` (closes are recorded in date order). */
  firstAfter(at: number, from = 0): number {
    let [low, high] = [from, this.closes.length];
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.instants[mid] <= at) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/** One version of the credit policy as recorded (`CreditPolicyChanged`): in force from `recordedAt` until the next. */
export interface RecordedCreditPolicy { version: number; rules: CreditPolicyRulesV1; recordedAt: string }

export interface HoldResimulation {
  customerId: string;
  /** The customer's credit stream (empty when live never recorded anything for the customer). */
  credit: RecordedCreditEvent[];
  /** The customer's receivables events in their topic order (others are passed by, as the hold policy passes them). */
  receivables: EventEnvelope[];
  /** Every closed credit business date. */
  calendar: CreditCalendar;
  /** The credit policy's versions, in version order. */
  policies: RecordedCreditPolicy[];
  change: Partial<HoldRulesV1>;
  /** The business date of an instant in the service's time zone (how the hold policy dates an evaluation). */
  businessDateOf(instant: string): string;
}

const receivedAt = (e: EventEnvelope) => instantOf(e.recordedAt ?? e.time);

/** The policy in force at an instant (as a decision that cites none would have read it), its hold rules changed. */
export function policyInForce(policies: RecordedCreditPolicy[], at: number, change: Partial<HoldRulesV1>): CreditPolicy {
  const recorded = policies.filter((p) => instantOf(p.recordedAt) <= at).pop();
  const rules = recorded?.rules ?? DEFAULT_CREDIT_POLICY;
  return { version: recorded?.version ?? 0, rules: { ...rules, holdRules: { ...rules.holdRules, ...change } } };
}

/** Where a live automatic decision is re-simulated: at the receivables event or the close that caused it. */
type Anchor = { kind: 'receivable'; index: number } | { kind: 'close'; index: number; factsVersion: number };

/**
 * One customer's holds re-simulated from the real inputs under other hold rules, as credit's
 * hold policy and day close would have decided them: the receivables events are applied to the
 * facts in topic order, and an evaluation is decided whenever what the hold rules read changes
 * (dated by the event's business date) and at each closed business date for a customer unpaid
 * longer than the what-if `maxDaysOverdue`. Credit's own events are walked in stream order and
 * merged with those by recorded time; a live automatic decision is replaced by the evaluation
 * re-simulated at its trigger (the receivables event it was caused by, or its close placed
 * after the receivables version it had read), whose events keep the live ids. A decision cites
 * the policy version the live one cited, or the version in force then where live decided
 * nothing. Manual holds and releases, limits and the rest are folded as recorded (HoldReplay);
 * a live automatic decision whose trigger is not among the inputs is decided again from the
 * inputs it recorded.
 */
export function resimulateHolds(input: HoldResimulation): { steps: HoldReplayStep[]; refusedReleases: number } {
  return new HoldTimeline(input).run();
}

class HoldTimeline {
  private readonly replay: HoldReplay;
  private readonly receivables: EventEnvelope[];
  private readonly closes: ClosedCreditDay[];
  private readonly groups: LiveGroup[];
  /** Live automatic groups by their trigger's id. */
  private readonly liveByTrigger = new Map<string, LiveGroup>();
  private readonly resimulated = new Set<LiveGroup>();
  /** Indexes of the closes a live decision of this customer was caused by, ascending. */
  private closeTriggers: number[] = [];
  private readonly facts;
  /** The facts' oldest unpaid due date, kept as each event is applied (every close looks at it). */
  private oldestUnpaidDue: string | null = null;
  private r = 0;
  private c = 0;

  constructor(private readonly input: HoldResimulation) {
    this.replay = new HoldReplay(input.change);
    this.receivables = input.receivables.filter(isReceivablesAccountEvent);
    this.closes = input.calendar.closes;
    this.groups = groupsOf(input.credit);
    for (const g of this.groups) if (g.command === 'EvaluateHold') this.liveByTrigger.set(g.events[0].causationId, g);
    this.facts = initialFacts(input.customerId);
  }

  run() {
    const anchors = this.anchors();
    const ceilings = this.ceilings(anchors);
    this.closeTriggers = anchors.flatMap((a) => (a?.kind === 'close' ? [a.index] : [])).sort((x, y) => x - y);
    this.groups.forEach((group, p) => {
      const anchor = anchors[p];
      if (anchor?.kind === 'receivable') {
        this.flush(anchor.index + 1, Math.min(ceilings[p].closes, this.closesBy(receivedAt(this.receivables[anchor.index]))), false);
      } else if (anchor?.kind === 'close') {
        this.flush(Math.max(this.r, this.receivablesUpTo(anchor.factsVersion)), anchor.index, false);
        if (this.c === anchor.index) this.emitClose(this.c++);
      } else {
        const at = instantOf(group.events[0].recordedAt);
        this.flush(Math.min(ceilings[p].receivables, this.receivablesBy(at)), Math.min(ceilings[p].closes, this.closesBy(at)), true);
      }
      if (!this.resimulated.has(group)) this.replay.replay(group);
    });
    this.flush(this.receivables.length, this.closes.length, false);
    return { steps: this.replay.steps, refusedReleases: this.replay.refusedReleases };
  }

  private anchors(): Array<Anchor | undefined> {
    const receivableAt = new Map(this.receivables.map((e, i) => [e.id, i]));
    const closeAt = new Map(this.closes.map((close, i) => [close.eventId, i]));
    return this.groups.map((group): Anchor | undefined => {
      if (group.command !== 'EvaluateHold') return undefined;
      const cause = group.events[0].causationId;
      const index = receivableAt.get(cause);
      if (index !== undefined) return { kind: 'receivable', index };
      const close = closeAt.get(cause);
      return close === undefined ? undefined : { kind: 'close', index: close, factsVersion: factsVersionOf(group) ?? Number.MAX_SAFE_INTEGER };
    });
  }

  /**
   * For each group, how far the inputs may be read before it without passing a later group's
   * trigger: a later live decision must stay after this group, as in the stream.
   */
  private ceilings(anchors: Array<Anchor | undefined>) {
    const ceilings = anchors.map(() => ({ receivables: this.receivables.length, closes: this.closes.length }));
    for (let p = anchors.length - 2; p >= 0; p -= 1) {
      const next = anchors[p + 1];
      const after = ceilings[p + 1];
      const receivables = next?.kind === 'receivable' ? next.index : next ? this.receivablesUpTo(next.factsVersion) : after.receivables;
      ceilings[p] = { receivables: Math.min(after.receivables, receivables), closes: Math.min(after.closes, next?.kind === 'close' ? next.index : after.closes) };
    }
    return ceilings;
  }

  /** How many receivables events come up to and including `version` (what a day close had read). */
  private receivablesUpTo(version: number): number {
    const i = this.receivables.findIndex((e) => e.streamVersion > version);
    return i < 0 ? this.receivables.length : i;
  }

  private receivablesBy(at: number): number {
    let i = this.r;
    while (i < this.receivables.length && receivedAt(this.receivables[i]) <= at) i += 1;
    return i;
  }

  private closesBy(at: number): number {
    return this.input.calendar.firstAfter(at, this.c);
  }

  /**
   * Emits the receivables events before `rEnd` and the closes before `cEnd`, in recorded-time
   * order. `stopAtBound`: stop at the first item in time order beyond its bound (an unanchored
   * group: what came after it stays after it); else emit everything within the bounds.
   */
  private flush(rEnd: number, cEnd: number, stopAtBound: boolean): void {
    for (;;) {
      const nextR = this.r < this.receivables.length ? receivedAt(this.receivables[this.r]) : Number.POSITIVE_INFINITY;
      const nextC = this.c < this.closes.length ? this.input.calendar.instants[this.c] : Number.POSITIVE_INFINITY;
      const [canR, canC] = [this.r < rEnd, this.c < cEnd];
      if (!canR && !canC) return;
      const closeFirst = nextC <= nextR;
      if (stopAtBound && (closeFirst ? !canC : !canR)) return;
      if (canC && (closeFirst || !canR)) this.closesUntil(canR ? Math.min(cEnd, this.input.calendar.firstAfter(nextR, this.c)) : cEnd);
      else this.emitReceivable(this.r++);
    }
  }

  /**
   * The closes up to `end` (before the next receivables event). Nothing unpaid: none of them
   * can decide anything, so only those a live decision was caused by are visited (a customer's
   * thousands of closes cost nothing while it owes nothing overdue).
   */
  private closesUntil(end: number): void {
    const until = Math.max(end, this.c + 1);
    while (this.c < until) {
      if (this.oldestUnpaidDue === null) {
        const trigger = this.closeTriggers.find((i) => i >= this.c);
        this.c = Math.min(until, trigger ?? until);
        if (this.c === until) return;
      }
      this.emitClose(this.c++);
    }
  }

  private policyFor(live: LiveGroup | undefined, at: number): CreditPolicy {
    return (live && citedPolicy(live, this.input.change)) ?? policyInForce(this.input.policies, at, this.input.change);
  }

  /** The live group a trigger caused, marked re-simulated: whatever the what-if decides there replaces it. */
  private liveAt(triggerId: string): LiveGroup | undefined {
    const live = this.liveByTrigger.get(triggerId);
    if (live) this.resimulated.add(live);
    return live;
  }

  /** As credit's hold policy: the event applied, and an evaluation when anything the hold rules read changed. */
  private emitReceivable(i: number): void {
    const event = this.receivables[i];
    if (event.streamVersion <= this.facts.version) return;
    const before = holdFactsOf(this.facts, []);
    applyReceivablesEvent(this.facts, event);
    const after = holdFactsOf(this.facts, [event.id]);
    this.oldestUnpaidDue = after.oldestUnpaid?.dueDate ?? null;
    const live = this.liveAt(event.id);
    if (sameHoldFacts(before, after)) return;
    this.replay.evaluate({ facts: after, on: this.input.businessDateOf(event.time) }, this.policyFor(live, receivedAt(event)), live?.events ?? [],
      { causationId: event.id, occurredAt: event.time });
  }

  /** As credit's day close: days overdue counted to the date for a customer unpaid longer than the rule allows. */
  private emitClose(i: number): void {
    const close = this.closes[i];
    const live = this.liveAt(close.eventId);
    if (this.oldestUnpaidDue === null) return;
    const policy = this.policyFor(live, this.input.calendar.instants[i]);
    if (!(this.oldestUnpaidDue < addDays(close.businessDate, -policy.rules.holdRules.maxDaysOverdue))) return;
    this.replay.evaluate({ facts: holdFactsOf(this.facts, [close.eventId]), on: close.businessDate, businessDate: close.businessDate }, policy,
      live?.events ?? [], { causationId: close.eventId, occurredAt: close.occurredAt });
  }
}
