import { LOYALTY_TIERS, LoyaltyTier } from '@crm/contracts';
import { LoyaltyMemberDoc } from '@crm/engagement-domain';
import { WhatIfTally } from '@crm/platform';

type Change = { from: string; to: string; on: string };
type Replayed = Array<{ type: string; data: unknown }>;
const changesOf = (events: Replayed): Change[] => events.filter((e) => e.type === 'LoyaltyTierChanged')
  .map((e) => e.data as { previousTier: string; tier: string; on: string }).map((d) => ({ from: d.previousTier, to: d.tier, on: d.on }));

/** Takes from `pool` the first change `match` accepts for each of `changes`; returns those that found none. */
function unmatched(changes: Change[], pool: Change[], match: (a: Change, b: Change) => boolean): Change[] {
  return changes.filter((c) => {
    const i = pool.findIndex((p) => match(c, p));
    if (i < 0) return true;
    pool.splice(i, 1);
    return false;
  });
}

const rank = (tier: LoyaltyTier | undefined) => LOYALTY_TIERS.indexOf(tier ?? 'Member');

/**
 * Tier changes per stream (the documents keep only the last): the same change (from, to) on
 * the same date is equal, on another date moved; what is left would not have happened or
 * would have happened in addition. Then the members' final tiers and points.
 */
export function loyaltyTierTally(): WhatIfTally & { replayed(live: Replayed, whatIf: Replayed): void } {
  const c = { changesNotMade: 0, changesAdded: 0, changesMoved: 0, lower: 0, higher: 0, otherPoints: 0, otherFields: 0 };
  return {
    replayed(live: Replayed, whatIf: Replayed) {
      const [a, b] = [changesOf(live), changesOf(whatIf)];
      const same = (x: Change, y: Change) => x.from === y.from && x.to === y.to;
      const liveLeft = unmatched(a, b, (x, y) => same(x, y) && x.on === y.on);
      const whatIfLeft = b;
      const notMade = unmatched(liveLeft, whatIfLeft, same);
      c.changesMoved += liveLeft.length - notMade.length;
      c.changesNotMade += notMade.length;
      c.changesAdded += whatIfLeft.length;
    },
    add(live: LoyaltyMemberDoc | null, whatIf: LoyaltyMemberDoc | null) {
      const [from, to] = [rank(live?.tier), rank(whatIf?.tier)];
      if (from > to) c.lower += 1;
      else if (from < to) c.higher += 1;
      else if ((live?.points ?? 0) !== (whatIf?.points ?? 0)) c.otherPoints += 1;
      else c.otherFields += 1;
    },
    lines() {
      return [
        `${c.changesNotMade} tier changes that would not have happened, ${c.changesAdded} in addition, ${c.changesMoved} on another date`,
        `${c.lower} members would end in a lower tier, ${c.higher} in a higher one, ${c.otherPoints} in the same tier with other points`,
        ...(c.otherFields ? [`${c.otherFields} members differ in other fields only (tier since, pending downgrade, policy version)`] : []),
      ];
    },
    counts: () => ({ ...c }),
  };
}
