import { DomainError } from '@crm/contracts';
import { AllocationPart, LoyaltyAccountCommand, loyaltyAccountDecider } from './loyalty-account.decider';
import { loyaltyDateOf, LoyaltyAccountEvent } from './loyalty-account.events';
import { LoyaltyAccountState, nextLoyaltyDue } from './loyalty-account.state';
import { LoyaltyPolicy } from './loyalty-policy';

/** One recorded event of a loyalty stream, with where it sits in the log and which command recorded it. */
export type RecordedLoyaltyEvent = LoyaltyAccountEvent & { id: string; globalPosition: number; command: string; causationId: string };

/** A closed engagement business date and the log position of its `EngagementBusinessDayClosed`. */
export interface ClosedLoyaltyDay { businessDate: string; globalPosition: number }

export interface LoyaltyReplayStep {
  event: LoyaltyAccountEvent;
  /** The first event the live command (or the live close of that date) recorded here, when it recorded any. */
  live?: RecordedLoyaltyEvent;
  closedDate?: string;
}

/** `policyAt(version, position)`: the what-if rules standing in for `version` (the one in force at `position` when no event cites one). */
export type WhatIfRulesAt = (version: number | null, globalPosition: number) => LoyaltyPolicy;

type Group = { command: string; events: RecordedLoyaltyEvent[] };

/** Consecutive events of one command (one causation): what one decision recorded. */
function groupsOf(events: RecordedLoyaltyEvent[]): Group[] {
  const groups: Group[] = [];
  for (const e of events) {
    const last = groups[groups.length - 1];
    if (last && last.events[0].causationId === e.causationId && last.command === e.command) last.events.push(e);
    else groups.push({ command: e.command, events: [e] });
  }
  return groups;
}

const versionCited = (events: RecordedLoyaltyEvent[]) =>
  events.map((e) => ('policyVersion' in e.data ? e.data.policyVersion : null)).find((v): v is number => typeof v === 'number') ?? null;

/** The command a live group answered, rebuilt from its facts (null for a close: closes are decided again from the calendar). */
function commandOf(group: Group, rulesAt: WhatIfRulesAt): LoyaltyAccountCommand | null {
  const [first] = group.events;
  const policy = rulesAt(versionCited(group.events), first.globalPosition);
  if (first.type === 'LoyaltyPointsEarned') {
    const d = first.data;
    const parts = group.events.flatMap((e): AllocationPart[] => (e.type === 'LoyaltyPointsEarned'
      ? [{ invoiceId: e.data.invoiceId, amount: e.data.allocated, dueDate: e.data.dueDate, kind: e.data.rule === 'recovery' ? 'recovery' : 'payment' }] : []));
    return { type: 'EarnPoints', data: { customerId: d.customerId, paymentId: d.paymentId, currency: d.currency, paidOn: d.paidOn, parts }, context: { policy } };
  }
  if (first.type === 'LoyaltyPointsReversed') {
    // The recorded amount is the command's, capped at what the payment allocated (the same under any rules);
    // reversals recorded before amounts were (schema v1 without them) took back points only.
    const d = first.data;
    return { type: 'ReversePoints', data: { customerId: d.customerId, paymentId: d.paymentId, currency: d.currency ?? '', reversedOn: d.reversedOn, amount: d.amount ?? 0 },
      context: { policy } };
  }
  if (first.type === 'LoyaltyPointsRedeemed') {
    const { balance: _balance, ...data } = first.data;
    return { type: 'RedeemPoints', data };
  }
  return null;
}

/** Where each close runs: before which group (index), in date order — the live close's place, else its calendar position. */
function closePlaces(groups: Group[], closes: ClosedLoyaltyDay[]) {
  const liveAt = new Map<string, number>();
  groups.forEach((g, index) => {
    if (g.command === 'CloseLoyaltyDay' && !liveAt.has(loyaltyDateOf(g.events[0]))) liveAt.set(loyaltyDateOf(g.events[0]), index);
  });
  let cursor = 0;
  let floor = 0;
  return closes.map((close) => {
    let index = liveAt.get(close.businessDate);
    if (index === undefined) {
      while (cursor < groups.length && groups[cursor].events[0].globalPosition < close.globalPosition) cursor += 1;
      index = cursor;
    }
    floor = Math.max(floor, index);
    return { ...close, index: floor, live: liveAt.has(close.businessDate) ? groups[liveAt.get(close.businessDate)!].events[0] : undefined };
  });
}

/**
 * One loyalty stream as it would have been under other rules: every fact is kept (payments'
 * allocations, reversals, redemptions) and decided again by the loyalty decider with the
 * what-if rules — points, tier changes, pending downgrades; every closed date runs the day
 * close where the what-if schedule (`nextLoyaltyDue`) says it was due, at the live close's
 * place or the date's place in the log. A redemption the what-if balance cannot cover would
 * have been refused: it is left out and counted. Under the live rules the replay decides
 * what was recorded. Pure; `closes` in date order.
 */
export function replayUnderLoyaltyRules(events: RecordedLoyaltyEvent[], closes: ClosedLoyaltyDay[], rulesAt: WhatIfRulesAt)
  : { steps: LoyaltyReplayStep[]; refusedRedemptions: number } {
  const groups = groupsOf(events);
  const places = closePlaces(groups, closes);
  const steps: LoyaltyReplayStep[] = [];
  let state: LoyaltyAccountState = loyaltyAccountDecider.initialState();
  let refusedRedemptions = 0;
  const apply = (command: LoyaltyAccountCommand, step: Omit<LoyaltyReplayStep, 'event'>) => {
    for (const event of loyaltyAccountDecider.decide(command, state)) {
      state = loyaltyAccountDecider.evolve(state, event);
      steps.push({ event, ...step });
    }
  };
  let next = 0;
  const runClosesBefore = (index: number) => {
    for (; next < places.length && places[next].index <= index; next += 1) {
      const { businessDate, globalPosition, live } = places[next];
      const due = nextLoyaltyDue(state);
      if (state.customerId === null || due === null || due > businessDate) continue;
      const policy = rulesAt(live ? versionCited([live]) : null, globalPosition);
      apply({ type: 'CloseLoyaltyDay', data: { customerId: state.customerId, businessDate }, context: { policy } }, { closedDate: businessDate, ...(live ? { live } : {}) });
    }
  };
  groups.forEach((group, index) => {
    runClosesBefore(index);
    const command = commandOf(group, rulesAt);
    if (!command) return;
    try {
      apply(command, { live: group.events[0] });
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'insufficient-points')) throw error;
      refusedRedemptions += 1;
    }
  });
  runClosesBefore(groups.length);
  return { steps, refusedRedemptions };
}
