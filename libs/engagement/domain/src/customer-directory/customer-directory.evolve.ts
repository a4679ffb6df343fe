import { EventEnvelope, isEventOf } from '@crm/contracts';

/** Engagement's own copy of who the customers are (it never reads customers' database). */
export interface CustomerDirectoryEntry {
  customerId: string;
  kind: string;
  legalName: string;
  industry: string | null;
  region: string | null;
  accountManager: string | null;
  tags: string[];
  registeredAt: string;
  lastEventId: string;
}

export function customerDirectoryKey(event: EventEnvelope): string | undefined {
  return event.type === 'CustomerRegistered' ? event.subject : undefined;
}

/** Pure: the entry after an event; time comes from the event, never the clock. */
export function evolveCustomerDirectory(entry: CustomerDirectoryEntry | undefined, event: EventEnvelope): CustomerDirectoryEntry | null {
  if (!isEventOf(event, 'CustomerRegistered')) return entry ?? null;
  const data = event.data;
  return {
    customerId: data.customerId,
    kind: data.kind,
    legalName: data.legalName,
    industry: data.industry ?? null,
    region: data.region ?? null,
    accountManager: data.accountManager ?? null,
    tags: data.tags ?? [],
    registeredAt: event.time,
    lastEventId: event.id,
  };
}
