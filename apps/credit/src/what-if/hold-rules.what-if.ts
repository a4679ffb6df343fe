import { randomUUID } from 'node:crypto';
import { eventsTopic, HoldRulesV1 } from '@crm/contracts';
import { CreditAccountEvent, CreditDecisionDoc, HOLD_POLICY_ACTOR, RecordedCreditEvent, resimulateHolds } from '@crm/credit-domain';
import { RecordedEvent, StoredEvent } from '@crm/eventing';
import { businessDate, UpstreamEvents, WhatIfPolicyError, whatIfPolicyBody, WhatIfScenario, WhatIfTally } from '@crm/platform';
import { creditStream, customerOfStream } from '../account/credit-accounts';
import { CreditPolicyDto } from '../policy/credit-policy.dto';
import { HoldRulesInputs, readHoldRulesInputs } from './hold-rules-inputs';

const CUSTOMER_STREAM = /^credit-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A body of `PUT /v1/credit/policy` read by that route's own validation, of which only
 * `holdRules` is replayed: what it leaves out keeps the value each decision recorded.
 */
export async function parseHoldRules(json: unknown): Promise<Partial<HoldRulesV1>> {
  const body = await whatIfPolicyBody(CreditPolicyDto, json);
  const others = Object.entries(body).filter(([key, value]) => key !== 'holdRules' && value !== undefined).map(([key]) => key);
  if (others.length > 0) throw new WhatIfPolicyError(others.map((field) => ({ field, message: 'only holdRules are replayed by this what-if' })));
  if (!body.holdRules) throw new WhatIfPolicyError([{ field: 'holdRules', message: 'the hold rules to replay under are required' }]);
  return Object.fromEntries(Object.entries(body.holdRules).filter(([, v]) => v !== undefined));
}

/**
 * One customer re-simulated (its credit stream, empty when live recorded nothing for it, and its
 * receivables events): a step standing for a live event keeps its id (the decisions read model
 * is keyed by it); a new decision is dated and caused by its trigger, recorded by the hold policy.
 */
export function replayCreditStream(events: Array<StoredEvent<CreditAccountEvent>>, change: Partial<HoldRulesV1>, inputs: HoldRulesInputs,
  upstream?: UpstreamEvents): RecordedEvent[] {
  const streamId = events[0]?.streamId ?? upstream?.streamId;
  if (!streamId || !CUSTOMER_STREAM.test(streamId)) return [];
  const customerId = customerOfStream(streamId);
  const byId = new Map(events.map((e) => [e.id, e]));
  const credit = events.map((e): RecordedCreditEvent => ({ ...e, id: e.id, command: e.metadata.command ?? '', causationId: e.metadata.causationId }));
  const { steps } = resimulateHolds({
    customerId, credit, receivables: upstream?.events ?? [], calendar: inputs.calendar, policies: inputs.policies, change,
    businessDateOf: (instant) => businessDate(new Date(instant), inputs.timeZone),
  });
  return steps.map((step, i): RecordedEvent => {
    const live = step.live && byId.get(step.live.id);
    const at = live?.occurredAt ?? step.trigger?.occurredAt;
    if (!at) throw new Error(`what-if step ${step.event.type} of ${streamId} stands for no live event and has no trigger`);
    return {
      id: live?.id ?? randomUUID(), type: step.event.type, schemaVersion: step.event.schemaVersion, data: { ...step.event.data },
      occurredAt: at, recordedAt: live?.recordedAt ?? at, streamId, streamVersion: i + 1,
      partitionKey: customerId, globalPosition: '0', transactionId: '0', hash: '',
      metadata: live?.metadata ?? {
        actor: { id: HOLD_POLICY_ACTOR, roles: [] }, correlationId: 'what-if', causationId: step.trigger?.causationId ?? 'what-if', command: 'EvaluateHold',
      },
    };
  });
}

const withoutRules = (doc: CreditDecisionDoc) => {
  const inputs = doc.inputs && typeof doc.inputs === 'object' ? { ...doc.inputs, rules: null } : doc.inputs;
  return { ...doc, inputs };
};

/** Hold decisions (the decisions read model, one document per decision): placed or not, released alike or not. */
export function holdDecisionsTally(): WhatIfTally {
  const c = { holdsNotPlaced: 0, holdsAdded: 0, holdsOtherCauses: 0, releasesDiffering: 0, otherDecisions: 0, alikeButRules: 0 };
  return {
    add(live: CreditDecisionDoc | null, whatIf: CreditDecisionDoc | null) {
      // The same decision, citing the what-if rules among its inputs: alike.
      if (live && whatIf && JSON.stringify(withoutRules(live)) === JSON.stringify(withoutRules(whatIf))) {
        c.alikeButRules += 1;
        return;
      }
      const decision = live?.decision ?? whatIf?.decision;
      if (decision === 'hold-placed') {
        if (!whatIf || whatIf.decision !== 'hold-placed') c.holdsNotPlaced += 1;
        if (!live || live.decision !== 'hold-placed') c.holdsAdded += 1;
        else if (whatIf?.decision === 'hold-placed') c.holdsOtherCauses += 1;
      } else if (decision === 'hold-released') c.releasesDiffering += 1;
      else c.otherDecisions += 1;
    },
    lines() {
      return [
        `${c.holdsNotPlaced} holds that would not have been placed, ${c.holdsAdded} in addition, ${c.releasesDiffering} releases that differ`,
        ...(c.holdsOtherCauses ? [`${c.holdsOtherCauses} holds placed alike with other causes or inputs`] : []),
        ...(c.alikeButRules ? [`${c.alikeButRules} decisions alike but for the rules their inputs cite`] : []),
        ...(c.otherDecisions ? [`${c.otherDecisions} other hold decisions differ (causes changed, overrides lapsed)`] : []),
      ];
    },
    counts: () => ({ ...c }),
  };
}

/**
 * Credit's hold rules, what-if: every customer's holds re-simulated under the file's rules from
 * the real inputs (receivables' events, read from offset zero, and credit's closed business
 * dates), as credit's hold policy and day close decide them, into the decisions read model
 * (credit-decisions). Customers live never recorded anything for are re-simulated too.
 */
export const holdRulesWhatIf: WhatIfScenario<Partial<HoldRulesV1>, HoldRulesInputs, CreditAccountEvent> = {
  projection: 'credit-decisions',
  policyShape: 'a body of PUT /v1/credit/policy with holdRules only, e.g. { "holdRules": { "maxDaysOverdue": 30, "dunningLevel": 2 } }',
  parsePolicy: parseHoldRules,
  streamPrefix: 'credit-',
  prepare: readHoldRulesInputs,
  upstream: { topics: (config) => [eventsTopic('receivables', config.kafkaTopicPrefix)], streamOf: creditStream },
  replay: (events, change, inputs, upstream) => replayCreditStream(events, change, inputs, upstream),
  tally: holdDecisionsTally,
};
