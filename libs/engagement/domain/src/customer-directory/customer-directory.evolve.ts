import { EventEnvelope, isEventOf } from '@crm/contracts';

/** Engagement's own copy of who the customers are (it never reads customers' database). */
export interface CustomerDirectoryEntry {
  customerId: string;
  kind: string;
  /** A company's legal name; null for a person, whose name is personal data (sealed in customers' events). */
  legalName: string | null;
  industry: string | null;
  region: string | null;
  accountManager: string | null;
  tags: string[];
  registeredAt: string;
  lastEventId: string;
}

export function customerDirectoryKey(event: EventEnvelope): string | undefined {
  return event.type === 'CustomerRegistered' || event.type === 'CustomerPersonalDataErased' ? event.subject : undefined;
}

/**
 * Pure: the entry after an event; time comes from the event, never the clock. A person's
 * legal name is never kept (it arrives sealed; engagement has no key), and one kept from
 * before it was sealed is dropped when the customer's personal data is erased.
 */
export function evolveCustomerDirectory(entry: CustomerDirectoryEntry | undefined, event: EventEnvelope): CustomerDirectoryEntry | null {
  if (isEventOf(event, 'CustomerPersonalDataErased')) {
    return entry && entry.kind !== 'company' ? { ...entry, legalName: null, lastEventId: event.id } : entry ?? null;
  }
  if (!isEventOf(event, 'CustomerRegistered')) return entry ?? null;
  const data = event.data;
  return {
    customerId: data.customerId,
    kind: data.kind,
    legalName: data.kind === 'person' ? null : data.legalName,
    industry: data.industry ?? null,
    region: data.region ?? null,
    accountManager: data.accountManager ?? null,
    tags: data.tags ?? [],
    registeredAt: event.time,
    lastEventId: event.id,
  };
}
