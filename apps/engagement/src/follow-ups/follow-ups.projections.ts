import { eventsTopic } from '@crm/contracts';
import { evolveFollowUpDoc, evolveInteractionDoc, FollowUpDoc, followUpKey, InteractionDoc, interactionKey } from '@crm/engagement-domain';
import { DocumentProjection } from '@crm/eventing';

/** A customer's interactions, newest first by (occurredAt, id). */
export function interactionsProjection(prefix: string): DocumentProjection<InteractionDoc> {
  return {
    name: 'interactions',
    table: 'engagement_interactions',
    topics: [eventsTopic('engagement', prefix)],
    columns: [`customer_id text GENERATED ALWAYS AS (doc->>'customerId') STORED`, `occurred_at text GENERATED ALWAYS AS (doc->>'occurredAt') STORED`],
    indexes: ['(customer_id, occurred_at DESC, id DESC)'],
    keyOf: interactionKey,
    evolve: evolveInteractionDoc,
  };
}

/** Follow-ups by account manager, status and due date. */
export function followUpsProjection(prefix: string): DocumentProjection<FollowUpDoc> {
  return {
    name: 'follow-ups',
    table: 'engagement_follow_ups',
    topics: [eventsTopic('engagement', prefix)],
    columns: [
      `account_manager text GENERATED ALWAYS AS (doc->>'accountManager') STORED`,
      `status text GENERATED ALWAYS AS (doc->>'status') STORED`,
      `due_on text GENERATED ALWAYS AS (doc->>'dueOn') STORED`,
    ],
    indexes: ['(account_manager, status, due_on, id)', '(status, due_on, id)', '(due_on, id)'],
    keyOf: followUpKey,
    evolve: evolveFollowUpDoc,
  };
}

export const followUpsProjections = (prefix: string) => [interactionsProjection(prefix), followUpsProjection(prefix)];
