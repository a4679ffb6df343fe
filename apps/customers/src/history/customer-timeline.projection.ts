import { eventsTopic } from '@crm/contracts';
import { evolveTimelineEntry, TimelineEntry, timelineKey } from '@crm/customers-domain';
import { DocumentProjection } from '@crm/eventing';

export const CUSTOMER_TIMELINE = 'customer-timeline';
export const CUSTOMER_TIMELINE_TABLE = 'customer_timeline';

/**
 * Every event about a customer from all four services' topics, one row per event (never a
 * per-customer document that grows with its history). The keyset columns are text in the "C"
 * collation so that SQL order equals the byte order the cursor compares in.
 */
export function customerTimelineProjection(prefix: string): DocumentProjection<TimelineEntry> {
  return {
    name: CUSTOMER_TIMELINE,
    table: CUSTOMER_TIMELINE_TABLE,
    topics: [eventsTopic('customers', prefix), eventsTopic('credit', prefix), eventsTopic('receivables', prefix), eventsTopic('engagement', prefix)],
    columns: [
      `customer_id text GENERATED ALWAYS AS (doc->>'subject') STORED`,
      `recorded_at text COLLATE "C" GENERATED ALWAYS AS (doc->>'recordedAt') STORED`,
      `service text COLLATE "C" GENERATED ALWAYS AS (doc->>'service') STORED`,
      `stream_version integer GENERATED ALWAYS AS ((doc->>'streamVersion')::integer) STORED`,
      `event_id text COLLATE "C" GENERATED ALWAYS AS (doc->>'id') STORED`,
      `event_type text GENERATED ALWAYS AS (doc->>'type') STORED`,
      `correlation_id text GENERATED ALWAYS AS (doc->>'correlationId') STORED`,
    ],
    indexes: [
      '(customer_id, recorded_at, service, stream_version, event_id)',
      '(correlation_id, recorded_at, service, stream_version, event_id)',
    ],
    keyOf: timelineKey,
    evolve: (doc, event) => evolveTimelineEntry(doc, event),
  };
}
