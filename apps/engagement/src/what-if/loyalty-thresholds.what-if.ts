import { randomUUID } from 'node:crypto';
import { DomainError } from '@crm/contracts';
import {
  ClosedLoyaltyDay, DEFAULT_LOYALTY_RULES, LoyaltyAccountEvent, LoyaltyPolicy, LoyaltyPolicyRules, RecordedLoyaltyEvent, replayUnderLoyaltyRules, WhatIfRulesAt,
} from '@crm/engagement-domain';
import { RecordedEvent, StoredEvent } from '@crm/eventing';
import { WhatIfPolicyError, whatIfPolicyBody, WhatIfScenario } from '@crm/platform';
import { Pool } from 'pg';
import { loyaltyRulesChangedBy } from '../loyalty/loyalty-policy-change';
import { LoyaltyPolicyDto } from '../loyalty/loyalty.dto';
import { loyaltyTierTally } from './loyalty-tier.tally';

const CALENDAR_STREAM = 'engagement-business-days';
const POLICY_STREAM = 'loyalty-policy';

/** The live rule versions (with where each came into force in the log) and the closed dates. */
export interface LoyaltyWhatIfContext { versions: Array<LoyaltyPolicy & { globalPosition: number }>; closes: ClosedLoyaltyDay[] }

/** The file's changes applied to some rules; a clash between the two is the file's, named by field. */
function changed(rules: LoyaltyPolicyRules, body: LoyaltyPolicyDto, version?: number): LoyaltyPolicyRules {
  try {
    return loyaltyRulesChangedBy(rules, body);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw new WhatIfPolicyError([{ field: error.field ?? '(policy)', message: `${error.message}${version ? ` (over policy version ${version})` : ''}` }]);
  }
}

/** A body of `PUT /v1/loyalty/policy`, read by that route's own validation: what it leaves out keeps each live version's value. */
export async function parseLoyaltyPolicy(json: unknown): Promise<LoyaltyPolicyDto> {
  const body = await whatIfPolicyBody(LoyaltyPolicyDto, json);
  changed(DEFAULT_LOYALTY_RULES, body);
  return body;
}

/** The what-if rules standing in for each live version: the version's rules with the file's changes. */
export function whatIfRules(body: LoyaltyPolicyDto, versions: LoyaltyWhatIfContext['versions']): WhatIfRulesAt {
  const merged = new Map(versions.map((v) => [v.version, { version: v.version, rules: changed(v.rules, body, v.version) }]));
  return (version, position) => {
    const cited = version === null ? undefined : merged.get(version);
    if (cited) return cited;
    const inForce = [...versions].reverse().find((v) => v.globalPosition < position) ?? versions[0];
    return merged.get(inForce.version)!;
  };
}

/** One stream replayed: each event decided again (a fresh id), with the time and metadata of the live command or close it stands for. */
export function replayLoyaltyStream(events: Array<StoredEvent<LoyaltyAccountEvent>>, body: LoyaltyPolicyDto, context: LoyaltyWhatIfContext): RecordedEvent[] {
  const recorded = events.map((e): RecordedLoyaltyEvent => ({
    ...e, id: e.id, globalPosition: Number(e.globalPosition), command: e.metadata.command ?? '', causationId: e.metadata.causationId,
  }));
  const byId = new Map(events.map((e) => [e.id, e]));
  const first = events[0];
  const { steps } = replayUnderLoyaltyRules(recorded, context.closes, whatIfRules(body, context.versions));
  return steps.map((step, i): RecordedEvent => {
    const live = step.live && byId.get(step.live.id);
    const at = step.closedDate ? `${step.closedDate}T00:00:00.000Z` : first.occurredAt;
    return {
      id: randomUUID(), type: step.event.type, schemaVersion: step.event.schemaVersion, data: { ...step.event.data },
      occurredAt: live?.occurredAt ?? at, recordedAt: live?.recordedAt ?? at, streamId: first.streamId, streamVersion: i + 1,
      partitionKey: first.partitionKey, globalPosition: '0', transactionId: '0', hash: '',
      metadata: live?.metadata ?? { actor: { id: 'audit:what-if', roles: [] }, correlationId: 'what-if', causationId: 'what-if', command: 'CloseLoyaltyDay' },
    };
  });
}

/**
 * Engagement's loyalty rules, what-if: every loyalty stream's facts kept, its points, tiers and
 * day closes decided again by the loyalty decider under the file's rules, into the tier lists
 * (loyalty-members). Customers with no loyalty stream are Members under any rules: kept as live.
 */
export const loyaltyThresholdsWhatIf: WhatIfScenario<LoyaltyPolicyDto, LoyaltyWhatIfContext, LoyaltyAccountEvent> = {
  projection: 'loyalty-members',
  policyShape: 'a body of PUT /v1/loyalty/policy, e.g. { "thresholds": { "Silver": 40000, "Gold": 150000 } } (what it leaves out keeps its value)',
  parsePolicy: parseLoyaltyPolicy,
  streamPrefix: 'loyalty-',
  keepsDocumentsNotReplayed: true,
  async prepare(pool: Pool) {
    // The rule versions (a handful) and the closed dates (a few thousand over years).
    const [policies, closes] = await Promise.all([
      pool.query(`SELECT data, global_position FROM events WHERE stream_id = $1 AND event_type = 'LoyaltyPolicyChanged' ORDER BY stream_version`, [POLICY_STREAM]),
      pool.query(`SELECT data->>'businessDate' AS date, global_position FROM events WHERE stream_id = $1 AND event_type = 'EngagementBusinessDayClosed' ORDER BY 1`, [CALENDAR_STREAM]),
    ]);
    const versions = [{ version: 1, rules: DEFAULT_LOYALTY_RULES, globalPosition: 0 },
      ...policies.rows.map((r) => {
        const { version, changedBy: _by, ...rules } = r.data;
        return { version: Number(version), rules: rules as LoyaltyPolicyRules, globalPosition: Number(r.global_position) };
      })];
    return { versions, closes: closes.rows.map((r) => ({ businessDate: r.date, globalPosition: Number(r.global_position) })) };
  },
  replay: replayLoyaltyStream,
  tally: loyaltyTierTally,
};
