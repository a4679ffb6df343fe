import { PostgresEventStore } from '../store/postgres-event-store';
import { RecordedEvent } from '../store/event-store.types';
import { envelopeOfRecorded } from '../transport/cloud-event-mapping';
import { DocumentProjection } from './document-projection';

/**
 * A document of a read model fed by the service's own topic and keyed by customer, as it stood
 * at an instant: its `evolve` folded over the customer's events recorded by then (the same
 * fold the live read model runs, so an answer given at T equals the as-of answer for T).
 * Undefined when no event had made the document by then.
 */
export async function documentAsOf<D>(store: PostgresEventStore, projection: DocumentProjection<D>, customerId: string, instant: string, source: string): Promise<D | undefined> {
  return fold(projection, customerId, await store.readPartitionRecordedBy(customerId, instant), source);
}

/** The same for a page of customers (one read): the documents that existed by then, by customer id. */
export async function documentsAsOf<D>(store: PostgresEventStore, projection: DocumentProjection<D>, customerIds: string[], instant: string, source: string): Promise<Map<string, D>> {
  const byCustomer = new Map<string, RecordedEvent[]>();
  for (const event of await store.readPartitionsRecordedBy(customerIds, instant)) {
    const events = byCustomer.get(event.partitionKey);
    if (events) events.push(event);
    else byCustomer.set(event.partitionKey, [event]);
  }
  const docs = new Map<string, D>();
  for (const [customerId, events] of byCustomer) {
    const doc = fold(projection, customerId, events, source);
    if (doc !== undefined) docs.set(customerId, doc);
  }
  return docs;
}

function fold<D>(projection: DocumentProjection<D>, customerId: string, events: RecordedEvent[], source: string): D | undefined {
  let doc: D | undefined;
  for (const recorded of events) {
    const event = envelopeOfRecorded(recorded, source);
    const keys = projection.keyOf(event);
    if (!(Array.isArray(keys) ? keys : keys === undefined ? [] : [keys]).includes(customerId)) continue;
    doc = projection.evolve(doc, event, customerId) ?? undefined;
  }
  return doc;
}
