import { CustomerRegisteredV1, EventEnvelope } from '@crm/contracts';

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
  switch (event.type) {
    case 'CustomerRegistered': {
      const data = event.data as unknown as CustomerRegisteredV1;
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
    default:
      return entry ?? null;
  }
}
