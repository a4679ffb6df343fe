import { addHours, businessDateOf } from './business-time';

/**
 * The SLA rule set (DOMAIN.md): hours to acknowledge and to resolve by the customer's ABC
 * class; an unclassified customer (null) counts as C. Its version is recorded with each
 * complaint's SLA, so a later rule set never changes a complaint already raised.
 */
export const COMPLAINT_SLA_POLICY = {
  version: 1,
  byClass: { A: { acknowledgeWithinHours: 4, resolveWithinHours: 24 } } as Record<string, { acknowledgeWithinHours: number; resolveWithinHours: number }>,
  otherwise: { acknowledgeWithinHours: 24, resolveWithinHours: 72 },
} as const;

export interface ComplaintSla {
  abcClass: string | null;
  acknowledgeWithinHours: number;
  resolveWithinHours: number;
  acknowledgeBy: string;
  resolveBy: string;
  acknowledgeDueOn: string;
  resolveDueOn: string;
  policyVersion: number;
}

/** The clocks of a complaint raised at `raisedAt` by a customer of `abcClass`, with the business dates they fall on. */
export function slaFor(abcClass: string | null, raisedAt: string, timeZone: string, policy = COMPLAINT_SLA_POLICY): ComplaintSla {
  const hours = (abcClass && policy.byClass[abcClass]) || policy.otherwise;
  const acknowledgeBy = addHours(raisedAt, hours.acknowledgeWithinHours);
  const resolveBy = addHours(raisedAt, hours.resolveWithinHours);
  return {
    abcClass, ...hours, acknowledgeBy, resolveBy,
    acknowledgeDueOn: businessDateOf(acknowledgeBy, timeZone), resolveDueOn: businessDateOf(resolveBy, timeZone), policyVersion: policy.version,
  };
}
