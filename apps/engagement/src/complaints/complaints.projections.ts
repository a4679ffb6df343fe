import { eventsTopic } from '@crm/contracts';
import {
  complaintKey, ComplaintDoc, customerTierKey, CustomerTierDoc, evolveComplaintDoc, evolveCustomerTier, evolveSatisfaction, SatisfactionDoc,
  satisfactionKeys,
} from '@crm/engagement-domain';
import { DocumentProjection } from '@crm/eventing';

/** The complaints list and the deadline watch's index (the earliest running deadline). */
export function complaintsProjection(prefix: string): DocumentProjection<ComplaintDoc> {
  return {
    name: 'complaints',
    table: 'engagement_complaints',
    topics: [eventsTopic('engagement', prefix)],
    columns: [
      `customer_id text GENERATED ALWAYS AS (doc->>'customerId') STORED`,
      `status text GENERATED ALWAYS AS (doc->>'status') STORED`,
      `sla_breached boolean GENERATED ALWAYS AS ((doc->>'slaBreached')::boolean) STORED`,
      `raised_at text GENERATED ALWAYS AS (doc->>'raisedAt') STORED`,
      `next_deadline text GENERATED ALWAYS AS (doc->>'nextDeadline') STORED`,
    ],
    indexes: ['(customer_id, raised_at, id)', '(status, raised_at, id)', '(sla_breached, raised_at, id)', '(raised_at, id)',
      '(next_deadline) WHERE next_deadline IS NOT NULL'],
    keyOf: complaintKey,
    evolve: evolveComplaintDoc,
  };
}

/** Satisfaction counters per month × segment × value, added to per response (never summed over responses per request). */
export function satisfactionProjection(prefix: string): DocumentProjection<SatisfactionDoc> {
  return {
    name: 'satisfaction',
    table: 'engagement_satisfaction',
    topics: [eventsTopic('engagement', prefix)],
    columns: [`month text GENERATED ALWAYS AS (doc->>'month') STORED`, `segment text GENERATED ALWAYS AS (doc->>'segment') STORED`],
    indexes: ['(month, segment, id)'],
    keyOf: satisfactionKeys,
    evolve: evolveSatisfaction,
  };
}

/** Each customer's loyalty tier from loyalty's LoyaltyTierChanged: the tier a survey response is recorded with. */
export function customerTiersProjection(prefix: string): DocumentProjection<CustomerTierDoc> {
  return {
    name: 'survey-customer-tiers',
    table: 'engagement_survey_customer_tiers',
    topics: [eventsTopic('engagement', prefix)],
    keyOf: customerTierKey,
    evolve: evolveCustomerTier,
  };
}

export const complaintsProjections = (prefix: string) => [complaintsProjection(prefix), satisfactionProjection(prefix), customerTiersProjection(prefix)];
