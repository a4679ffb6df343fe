import { closeDay } from '../account/close-day';
import { AccountEvent } from '../account/account.events';
import { AccountState, evolveAccount, initialAccount } from '../account/account.state';
import { DUNNING_LADDER, DunningLadder } from '../receivables-policy';

/** One recorded event of an account stream, with where it sits in the log and what recorded it. */
export type RecordedAccountEvent = AccountEvent & {
  /** The stored event's id: a replayed step names the live event it keeps or stands beside. */
  id: string;
  globalPosition: number;
  /** Recorded by a day close (`CloseDay`): the replay decides these again instead. */
  byClose: boolean;
  /** The command that recorded it: one close's events share it. */
  causationId: string;
};

/** A closed business date and the log position of its `BusinessDayClosed`. */
export interface ClosedDay {
  businessDate: string;
  globalPosition: number;
}

export type ReplayStep =
  | { kind: 'recorded'; event: RecordedAccountEvent }
  /** `live`: the first event the live close of that date recorded here, when it recorded any (its time and actor). */
  | { kind: 'decided'; event: AccountEvent; closedDate: string; live?: RecordedAccountEvent };

/**
 * One account's history as it would have been under another dunning ladder: every fact is
 * kept as recorded (invoices, payments, disputes, promises…), and every day close is decided
 * again with `ladder` at the place the live close ran — where the account's own close events
 * were recorded, or, for a date that recorded nothing here, at its `BusinessDayClosed` in the
 * log. Under the live ladder the replay decides what was recorded. Pure; `closes` in date order.
 */
export function replayUnderLadder(events: RecordedAccountEvent[], closes: ClosedDay[], ladder: DunningLadder = DUNNING_LADDER): ReplayStep[] {
  const at = closePlaces(events, closes);
  const steps: ReplayStep[] = [];
  let state: AccountState = initialAccount();
  let next = 0;
  const runClosesBefore = (index: number) => {
    for (; next < at.length && at[next].index <= index; next += 1) {
      for (const decided of closeDay({ type: 'CloseDay', data: { businessDate: at[next].businessDate } }, state, ladder)) {
        state = evolveAccount(state, decided);
        const live = at[next].live === undefined ? undefined : events[at[next].live!];
        steps.push({ kind: 'decided', event: decided, closedDate: at[next].businessDate, ...(live ? { live } : {}) });
      }
    }
  };
  events.forEach((event, index) => {
    runClosesBefore(index);
    if (event.byClose) return;
    state = evolveAccount(state, event);
    steps.push({ kind: 'recorded', event });
  });
  runClosesBefore(events.length);
  return steps;
}

/** Where each close after the account's first event runs: before which event (index), in date order. */
function closePlaces(events: RecordedAccountEvent[], closes: ClosedDay[]): Array<{ businessDate: string; index: number; live?: number }> {
  if (events.length === 0) return [];
  const byGroup = new Map<string, { index: number; latest: string }>();
  events.forEach((e, index) => {
    if (!e.byClose) return;
    const group = byGroup.get(e.causationId) ?? { index, latest: '' };
    const date = (e.data as { businessDate?: string }).businessDate ?? '';
    if (date > group.latest) group.latest = date;
    byGroup.set(e.causationId, group);
  });
  // The date a live close ran for: the first closed date on or after every business date it recorded.
  const liveIndex = new Map<string, number>();
  for (const { index, latest } of byGroup.values()) {
    const date = closes.find((c) => c.businessDate >= latest)?.businessDate;
    if (date && !liveIndex.has(date)) liveIndex.set(date, index);
  }
  const first = events[0].globalPosition;
  const places: Array<{ businessDate: string; index: number; live?: number }> = [];
  let cursor = 0;
  let floor = 0;
  for (const close of closes) {
    if (close.globalPosition < first && !liveIndex.has(close.businessDate)) continue;
    const live = liveIndex.get(close.businessDate);
    let index = live;
    if (index === undefined) {
      while (cursor < events.length && events[cursor].globalPosition < close.globalPosition) cursor += 1;
      index = cursor;
    }
    floor = Math.max(floor, index);
    places.push({ businessDate: close.businessDate, index: floor, ...(live === undefined ? {} : { live }) });
  }
  return places;
}
