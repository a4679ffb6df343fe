import { eventsTopic } from '@crm/contracts';
import { evolveLoyaltyMember, LoyaltyMemberDoc, loyaltyMemberKey } from '@crm/engagement-domain';
import { DocumentProjection } from '@crm/eventing';

/** Each customer's tier and points: the tier lists (indexed by tier, keyset by customer id). */
export function loyaltyMembersProjection(prefix: string): DocumentProjection<LoyaltyMemberDoc> {
  return {
    name: 'loyalty-members',
    table: 'loyalty_members',
    topics: [eventsTopic('engagement', prefix), eventsTopic('customers', prefix)],
    columns: [`tier text GENERATED ALWAYS AS (doc->>'tier') STORED`],
    indexes: ['(tier, id)'],
    // 2: registered customers are listed as Members before their first payment.
    version: 2,
    keyOf: loyaltyMemberKey,
    evolve: evolveLoyaltyMember,
  };
}
