import { ABC_CLASSES, Consent, EventEnvelope, isEventOf, LIFECYCLE_STAGES } from '@crm/contracts';

/**
 * Engagement's own copy of who the customers are (it never reads customers' database): what its
 * rules need — the ABC class (SLA clocks, contact-plan cadence), the account manager (follow-ups),
 * consent (care channels), the region (satisfaction segments) — and nothing personal.
 */
export interface CustomerDirectoryEntry {
  customerId: string;
  kind: string;
  /** A company's legal name; null for a person, whose name is personal data (sealed in customers' events). */
  legalName: string | null;
  industry: string | null;
  region: string | null;
  accountManager: string | null;
  tags: string[];
  /** Null until customers classifies the customer (rules then count it as C). */
  abcClass: (typeof ABC_CLASSES)[number] | null;
  stage: (typeof LIFECYCLE_STAGES)[number] | null;
  /** Channels the customer consented to; none until a consent is recorded. */
  consent: Consent;
  archived: boolean;
  registeredAt: string;
  lastEventId: string;
}

const DIRECTORY_EVENTS = [
  'CustomerRegistered', 'CustomerPersonalDataErased', 'CustomerProfileUpdated', 'AccountManagerAssigned', 'CustomerConsentChanged',
  'CustomerAbcClassChanged', 'CustomerLifecycleStageChanged', 'CustomerArchived', 'CustomerReactivated',
] as const;

export function customerDirectoryKey(event: EventEnvelope): string | undefined {
  return isEventOf(event, ...DIRECTORY_EVENTS) ? event.subject : undefined;
}

export const NO_CONSENT: Consent = { email: false, sms: false, phone: false, wechat: false };

/**
 * Pure: the entry after an event; time comes from the event, never the clock. The entry is the
 * projection's own copy of one row, changed in place. A person's legal name is never kept (it
 * arrives sealed; engagement has no key), and one kept from before is dropped on erasure.
 */
export function evolveCustomerDirectory(entry: CustomerDirectoryEntry | undefined, event: EventEnvelope): CustomerDirectoryEntry | null {
  if (isEventOf(event, 'CustomerRegistered')) {
    const data = event.data;
    return {
      customerId: data.customerId,
      kind: data.kind,
      legalName: data.kind === 'person' ? null : data.legalName,
      industry: data.industry ?? null,
      region: data.region ?? null,
      accountManager: data.accountManager ?? null,
      tags: data.tags ?? [],
      abcClass: null,
      stage: null,
      consent: { ...NO_CONSENT },
      archived: false,
      registeredAt: event.time,
      lastEventId: event.id,
    };
  }
  if (!entry) return null;
  if (isEventOf(event, 'CustomerPersonalDataErased')) {
    if (entry.kind !== 'company') entry.legalName = null;
  } else if (isEventOf(event, 'CustomerProfileUpdated')) {
    const data = event.data;
    if (data.changedFields.includes('legalName') && entry.kind === 'company') entry.legalName = data.legalName ?? entry.legalName;
    if (data.changedFields.includes('industry')) entry.industry = data.industry ?? null;
    if (data.changedFields.includes('region')) entry.region = data.region ?? null;
    if (data.changedFields.includes('tags')) entry.tags = data.tags ?? [];
  } else if (isEventOf(event, 'AccountManagerAssigned')) {
    entry.accountManager = event.data.accountManager;
  } else if (isEventOf(event, 'CustomerConsentChanged')) {
    entry.consent = { ...NO_CONSENT, ...event.data.consent };
  } else if (isEventOf(event, 'CustomerAbcClassChanged')) {
    entry.abcClass = event.data.abcClass;
  } else if (isEventOf(event, 'CustomerLifecycleStageChanged')) {
    entry.stage = event.data.stage;
  } else if (isEventOf(event, 'CustomerArchived')) {
    entry.archived = true;
  } else if (isEventOf(event, 'CustomerReactivated')) {
    entry.archived = false;
  } else {
    return entry;
  }
  entry.lastEventId = event.id;
  return entry;
}
