import { eventsTopic } from '@crm/contracts';
import { evolveOverviewFacts, OverviewFacts, overviewKey } from '@crm/customers-domain';
import { DocumentProjection } from '@crm/eventing';

/** What credit, receivables and engagement published about each customer, with the events' times (as-of reads). */
export function customerOverviewProjection(prefix: string): DocumentProjection<OverviewFacts> {
  return {
    name: 'customer-overview',
    table: 'customer_overview',
    topics: [eventsTopic('credit', prefix), eventsTopic('receivables', prefix), eventsTopic('engagement', prefix)],
    // 2: engagement's events too; the next start rebuilds it from offset zero.
    // 3: receivables' facts keep their exposure change (the credit part's exposure).
    version: 3,
    keyOf: overviewKey,
    evolve: (doc, event, key) => evolveOverviewFacts(doc, event, key),
  };
}
