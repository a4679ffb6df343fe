import { DEFAULT_LOYALTY_RULES } from '@crm/engagement-domain';
import { WhatIfPolicyError } from '@crm/platform';
import { loyaltyTierTally } from './loyalty-tier.tally';
import { parseLoyaltyPolicy, whatIfRules } from './loyalty-thresholds.what-if';

const problems = async (json: unknown) => {
  const error = await parseLoyaltyPolicy(json).catch((e: unknown) => e);
  if (!(error instanceof WhatIfPolicyError)) throw new Error(`expected a WhatIfPolicyError, got ${String(error)}`);
  return error.problems.map((p) => p.field);
};

describe('loyalty what-if policy file (a PUT /v1/loyalty/policy body)', () => {
  it('refuses what the PUT refuses, naming each field: ranges, unknown fields, falling thresholds, late above on time', async () => {
    expect(await problems({ thresholds: { Silver: 0, Gold: 1.5 } })).toEqual(['thresholds.Silver', 'thresholds.Gold']);
    expect(await problems({ threshold: {} })).toEqual(['threshold']);
    expect(await problems({ currencyThresholds: [{ currency: 'usd', Silver: 1, Gold: 2, Platinum: 3 }] })).toEqual(['currencyThresholds[0].currency']);
    expect(await problems({ thresholds: { Gold: 10 } })).toEqual(['thresholds']);
    expect(await problems({ rates: { latePercent: 200 } })).toEqual(['rates.latePercent']);
  });

  it('overlays each live version with the file: what it leaves out keeps that version\'s value', async () => {
    const body = await parseLoyaltyPolicy({ thresholds: { Silver: 900 } });
    const v2 = { ...DEFAULT_LOYALTY_RULES, expiryMonths: 12 };
    const at = whatIfRules(body, [{ version: 1, rules: DEFAULT_LOYALTY_RULES, globalPosition: 0 }, { version: 2, rules: v2, globalPosition: 50 }]);
    expect(at(1, 99)).toEqual({ version: 1, rules: { ...DEFAULT_LOYALTY_RULES, thresholds: { ...DEFAULT_LOYALTY_RULES.thresholds, Silver: 900 } } });
    // No version cited (a close that recorded nothing live): the one in force at that place in the log.
    expect(at(null, 40).version).toBe(1);
    expect(at(null, 60)).toMatchObject({ version: 2, rules: { expiryMonths: 12, thresholds: { Silver: 900 } } });
  });
});

describe('loyaltyTierTally', () => {
  const change = (previousTier: string, tier: string, on: string) => ({ type: 'LoyaltyTierChanged', data: { previousTier, tier, on } });
  it('matches tier changes per stream (same date equal, another date moved), then counts the final tiers', () => {
    const tally = loyaltyTierTally();
    tally.replayed([change('Member', 'Silver', '2026-01-10'), change('Silver', 'Gold', '2026-02-01'), change('Gold', 'Silver', '2026-05-01')],
      [change('Member', 'Silver', '2026-01-03'), change('Silver', 'Gold', '2026-02-01'), change('Gold', 'Platinum', '2026-03-01')]);
    tally.add({ tier: 'Silver', points: 10 }, { tier: 'Platinum', points: 10 });
    tally.add({ tier: 'Gold', points: 10 }, { tier: 'Gold', points: 7 });
    tally.add({ tier: 'Gold', points: 10 }, null);
    expect(tally.counts()).toEqual({ changesNotMade: 1, changesAdded: 1, changesMoved: 1, lower: 1, higher: 1, otherPoints: 1, otherFields: 0 });
    expect(tally.lines()).toEqual([
      '1 tier changes that would not have happened, 1 in addition, 1 on another date',
      '1 members would end in a lower tier, 1 in a higher one, 1 in the same tier with other points',
    ]);
  });
});
