import { eventsTopic, isEventOf } from '@crm/contracts';
import {
  CreditDecisionDoc, creditDecisionKey, creditPositionKey, CreditPositionDoc, evolveCreditDecision, evolveCreditPosition,
  evolveExposureChange, evolveLimitRequest, ExposureChangeDoc, exposureChangeKey, isCreditAccountEvent, LimitRequestDoc, limitRequestKey,
} from '@crm/credit-domain';
import { DocumentProjection } from '@crm/eventing';

/** Credit's own copy of who the customers are (credit decides only about known customers). */
export function knownCustomersProjection(prefix: string): DocumentProjection<{ customerId: string; legalName: string }> {
  return {
    name: 'known-customers',
    table: 'known_customers',
    topics: [eventsTopic('customers', prefix)],
    keyOf: (e) => (isEventOf(e, 'CustomerRegistered') ? e.subject : undefined),
    evolve: (doc, e) => (isEventOf(e, 'CustomerRegistered') ? { customerId: e.data.customerId, legalName: e.data.legalName } : doc ?? null),
  };
}

/** The credit position per customer (with the history `?asOf=` reads) and the watchlist's columns. */
export function creditPositionsProjection(prefix: string): DocumentProjection<CreditPositionDoc> {
  return {
    name: 'credit-positions',
    table: 'credit_positions',
    topics: [eventsTopic('credit', prefix), eventsTopic('customers', prefix), eventsTopic('receivables', prefix)],
    columns: [
      `on_hold boolean GENERATED ALWAYS AS ((doc->'credit'->>'onHold')::boolean) STORED`,
      `review_due boolean GENERATED ALWAYS AS ((doc->'credit'->>'reviewDue')::boolean) STORED`,
      `next_review_on text GENERATED ALWAYS AS (doc->'credit'->>'nextReviewOn') STORED`,
      `utilization numeric GENERATED ALWAYS AS ((doc->>'utilization')::numeric) STORED`,
    ],
    indexes: ['(id) WHERE on_hold', '(next_review_on, id)', '(utilization, id)'],
    keyOf: creditPositionKey,
    evolve: evolveCreditPosition,
  };
}

/** Each receivables event's change to exposure, for exposure as of an instant. */
export function exposureChangesProjection(prefix: string): DocumentProjection<ExposureChangeDoc> {
  return {
    name: 'credit-exposure-changes',
    table: 'credit_exposure_changes',
    topics: [eventsTopic('receivables', prefix)],
    columns: [`customer_id text GENERATED ALWAYS AS (doc->>'customerId') STORED`, `at text GENERATED ALWAYS AS (doc->>'at') STORED`],
    indexes: ['(customer_id, at)'],
    keyOf: exposureChangeKey,
    evolve: evolveExposureChange,
  };
}

/** Every assessment, limit decision and hold change, with who, when, why, inputs and policy version. */
export function creditDecisionsProjection(prefix: string): DocumentProjection<CreditDecisionDoc> {
  return {
    name: 'credit-decisions',
    table: 'credit_decisions',
    topics: [eventsTopic('credit', prefix)],
    columns: [`customer_id text GENERATED ALWAYS AS (doc->>'customerId') STORED`,
      `stream_version integer GENERATED ALWAYS AS ((doc->>'streamVersion')::integer) STORED`],
    indexes: ['(customer_id, stream_version)'],
    keyOf: (e) => (isCreditAccountEvent(e) ? creditDecisionKey(e) : undefined),
    evolve: evolveCreditDecision,
  };
}

/** Limit requests and where they stand: the pending-approvals list. */
export function limitRequestsProjection(prefix: string): DocumentProjection<LimitRequestDoc> {
  return {
    name: 'credit-limit-requests',
    table: 'credit_limit_requests',
    topics: [eventsTopic('credit', prefix)],
    columns: [`status text GENERATED ALWAYS AS (doc->>'status') STORED`, `customer_id text GENERATED ALWAYS AS (doc->>'customerId') STORED`,
      `requested_at text GENERATED ALWAYS AS (doc->>'requestedAt') STORED`],
    indexes: ['(status, requested_at, id)', '(customer_id)'],
    keyOf: limitRequestKey,
    evolve: evolveLimitRequest,
  };
}

export const creditProjections = (prefix: string) => [
  knownCustomersProjection(prefix), creditPositionsProjection(prefix), exposureChangesProjection(prefix),
  creditDecisionsProjection(prefix), limitRequestsProjection(prefix),
];
