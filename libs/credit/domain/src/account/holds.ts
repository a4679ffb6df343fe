import { daysBetween, domainError, HoldCauseCode, HoldCauseV1, HoldInputsV1, laterDate, MoneyV1 } from '@crm/contracts';
import { HoldFacts } from '../facts/receivables-facts';
import { CreditPolicy } from '../policy/credit-policy';
import { CreditAccountEvent, event } from './credit-account.events';
import { CreditAccountState, CreditLimitState, holdCausesOf, isOnHold } from './credit-account.state';

export const HOLD_POLICY_ACTOR = 'policy:credit-hold';

/** Receivables' facts as of one event, sent by the hold policy (or the day close, with its date). */
export interface EvaluateHold {
  type: 'EvaluateHold';
  data: {
    facts: HoldFacts;
    /** Business date of the decision (the triggering event's day). */
    on: string;
    /** A day close counts days overdue to its date, with the facts as they stand (never older than the last decision's). */
    businessDate?: string;
  };
  context: { policy: CreditPolicy };
}

export interface PlaceHold {
  type: 'PlaceHold';
  data: { customerId: string; reason: string; placedBy: string; placedOn: string };
  context: { customerKnown: boolean; policy: CreditPolicy };
}

export interface ReleaseHold {
  type: 'ReleaseHold';
  data: { customerId: string; reason: string; releasedBy: string; releasedOn: string };
  context: { customerKnown: boolean; policy: CreditPolicy };
}

const codes = (causes: HoldCauseV1[]) => causes.map((c) => c.code);
const unique = (ids: string[]) => [...new Set(ids)];
const reasonOf = (causes: HoldCauseV1[]) => causes.map((c) => c.detail).join('; ');
const exposureIn = (exposure: MoneyV1[], currency: string) => exposure.find((e) => e.currency === currency)?.amount ?? 0;

/** The automatic causes the policy's hold rules find in the facts, and what they looked at. */
export function automaticCauses(facts: HoldFacts, limit: CreditLimitState | null, policy: CreditPolicy, asOfDate: string | null)
  : { causes: HoldCauseV1[]; inputs: HoldInputsV1 } {
  const rules = policy.rules.holdRules;
  const causes: HoldCauseV1[] = [];
  const exposure = limit ? exposureIn(facts.exposure, limit.currency) : 0;
  if (rules.exposureOverLimit && limit && exposure > limit.amount) {
    causes.push({ code: 'exposure-over-limit', detail: `exposure ${exposure} ${limit.currency} is above the credit limit of ${limit.amount}`,
      eventIds: unique([...facts.triggeredBy, ...(facts.exposureEventIds ?? [])]) });
  }
  const daysOverdue = facts.oldestUnpaid && asOfDate ? daysBetween(facts.oldestUnpaid.dueDate, asOfDate) : null;
  if (facts.oldestUnpaid && daysOverdue !== null && daysOverdue > rules.maxDaysOverdue) {
    causes.push({ code: 'invoice-overdue', detail: `invoice ${facts.oldestUnpaid.invoiceId} is ${daysOverdue} days overdue (more than ${rules.maxDaysOverdue})`,
      eventIds: facts.oldestUnpaid.eventIds });
  }
  if (facts.worstDunning && facts.worstDunning.level >= rules.dunningLevel) {
    causes.push({ code: 'dunning-level', detail: `invoice ${facts.worstDunning.invoiceId} is at dunning level ${facts.worstDunning.level} (hold from ${rules.dunningLevel})`,
      eventIds: [facts.worstDunning.eventId] });
  }
  const inputs: HoldInputsV1 = {
    factsVersion: facts.version, asOfDate, exposure: facts.exposure, limit: limit && { amount: limit.amount, currency: limit.currency },
    oldestUnpaidDueDate: facts.oldestUnpaid?.dueDate ?? null, daysOverdue: daysOverdue === null ? null : Math.max(0, daysOverdue),
    worstDunningLevel: facts.worstDunning?.level ?? 0, rules,
  };
  return { causes, inputs };
}

/**
 * What the facts mean for the hold: placed when a cause appears, released when every cause
 * has cleared (never while a manual hold stands), its causes updated while it stays. A cause a
 * manual release set aside holds again only after it has cleared once (the override lapses).
 */
export function holdDecision(state: CreditAccountState, facts: HoldFacts, limit: CreditLimitState | null, policy: CreditPolicy,
  on: string, businessDate?: string): CreditAccountEvent[] {
  const asOfDate = laterDate(laterDate(facts.businessDate, state.asOfDate), businessDate ?? null);
  const { causes, inputs } = automaticCauses(facts, limit, policy, asOfDate);
  const present = new Set(codes(causes));
  const lapsed = state.hold.overridden.filter((c) => !present.has(c));
  const overridden = state.hold.overridden.filter((c) => present.has(c));
  const active = causes.filter((c) => !overridden.includes(c.code));
  const customerId = facts.customerId;
  const factIds = unique([...facts.triggeredBy, ...active.flatMap((c) => c.eventIds)]);
  const base = { customerId, facts: factIds, policyVersion: policy.version, inputs };
  const events: CreditAccountEvent[] = [];
  if (lapsed.length > 0) events.push(event('CreditHoldOverrideLapsed', { ...base, causes: lapsed, lapsedOn: on }));

  const before = state.hold;
  const [was, now] = [codes(before.auto).sort().join(), codes(active).sort().join()];
  if (!isOnHold(before) && active.length > 0) {
    events.push(event('CreditHoldPlaced', { ...base, reason: reasonOf(active), placedOn: on, causes: active, placedBy: HOLD_POLICY_ACTOR, automatic: true }));
  } else if (isOnHold(before) && !before.manual && active.length === 0) {
    events.push(event('CreditHoldReleased', {
      ...base, reason: `cleared: ${reasonOf(before.auto)}`, releasedOn: on, causes: before.auto, releasedBy: HOLD_POLICY_ACTOR, automatic: true, overridden,
    }));
  } else if (isOnHold(before) && was !== now) {
    const kept = [...(before.manual ? [before.manual] : []), ...active];
    events.push(event('CreditHoldCausesChanged', {
      ...base, causes: kept, added: codes(active).filter((c) => !before.auto.some((b) => b.code === c)),
      removed: codes(before.auto).filter((c) => !active.some((a) => a.code === c)), changedBy: HOLD_POLICY_ACTOR, changedOn: on,
    }));
  }
  return events;
}

export function evaluateHold({ data, context }: EvaluateHold, state: CreditAccountState): CreditAccountEvent[] {
  // Facts older than those a decision already used would undo it; a day close may use the same ones.
  const stale = data.businessDate === undefined ? data.facts.version <= state.factsVersion : data.facts.version < state.factsVersion;
  if (stale) return [];
  return holdDecision(state, data.facts, state.limit, context.policy, data.on, data.businessDate);
}

const unknownCustomer = (customerId: string) =>
  domainError('unknown-customer', 'refused', `customer ${customerId} is not known to credit`, 'customerId');

export function placeHold({ data, context }: PlaceHold, state: CreditAccountState): CreditAccountEvent[] {
  if (!context.customerKnown) throw unknownCustomer(data.customerId);
  if (state.hold.manual) throw domainError('already-on-hold', 'conflict', `customer ${data.customerId} is already on a manual hold`);
  const manual: HoldCauseV1 = { code: 'manual', detail: data.reason, eventIds: [] };
  if (isOnHold(state.hold)) {
    return [event('CreditHoldCausesChanged', {
      customerId: data.customerId, causes: [manual, ...state.hold.auto], added: ['manual'], removed: [], facts: [],
      policyVersion: context.policy.version, changedBy: data.placedBy, changedOn: data.placedOn, inputs: null,
    })];
  }
  return [event('CreditHoldPlaced', {
    customerId: data.customerId, reason: data.reason, placedOn: data.placedOn, causes: [manual], facts: [],
    policyVersion: context.policy.version, placedBy: data.placedBy, automatic: false, inputs: null,
  })];
}

/** A manual release lifts every cause; the automatic ones are set aside until they clear. */
export function releaseHold({ data, context }: ReleaseHold, state: CreditAccountState): CreditAccountEvent[] {
  if (!context.customerKnown) throw unknownCustomer(data.customerId);
  if (!isOnHold(state.hold)) throw domainError('no-credit-hold', 'conflict', `customer ${data.customerId} is not on credit hold`);
  const overridden: HoldCauseCode[] = [...new Set([...state.hold.overridden, ...codes(state.hold.auto)])];
  return [event('CreditHoldReleased', {
    customerId: data.customerId, reason: data.reason, releasedOn: data.releasedOn, causes: holdCausesOf(state.hold),
    facts: [], policyVersion: context.policy.version, releasedBy: data.releasedBy, automatic: false, overridden, inputs: null,
  })];
}
