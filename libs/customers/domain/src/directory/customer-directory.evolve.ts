import { EventEnvelope, isEventOf } from '@crm/contracts';
import { registeredContactId, taxIdKey } from '../customer/customer.decider';

/**
 * One row of customers' directory. Sealed data stays sealed: a person's legal name is not
 * kept (it is sealed in the events), contact emails only as their keyed blind index; both
 * go on erasure. `abcClass` and `stage` come from the recorded classification (null before).
 */
export interface DirectoryEntry {
  customerId: string;
  kind: string;
  /** A company's legal name; null for a person. */
  legalName: string | null;
  taxId: string | null;
  taxIdKey: string | null;
  industry: string | null;
  region: string | null;
  accountManager: string | null;
  tags: string[];
  archived: boolean;
  abcClass: string | null;
  stage: string | null;
  /** The last recorded RFM scores and CLV amount (reporting currency), null before the first. */
  rfm: { r: number; f: number; m: number } | null;
  clv: { amount: number; currency: string } | null;
  /** contactId → blind index of the contact's email (null: no email). */
  contactEmails: Record<string, string | null>;
  /** The blind indexes of all contact emails (indexed for search). */
  emailIndexes: string[];
  /** contactId → care-date index of the contact's birthday (MM-DD, keyed; null: none). */
  contactCareDates: Record<string, string | null>;
  /** The care-date indexes of all contacts (the day close looks up the date's). */
  careDateIndexes: string[];
  registeredAt: string;
}

const DIRECTORY_EVENTS = new Set([
  'CustomerRegistered', 'CustomerProfileUpdated', 'ContactAdded', 'ContactUpdated', 'ContactRemoved', 'AccountManagerAssigned',
  'CustomerArchived', 'CustomerReactivated', 'CustomerPersonalDataErased', 'CustomerAbcClassChanged', 'CustomerLifecycleStageChanged',
  'CustomerValueScored',
]);

export function directoryKey(event: EventEnvelope): string | undefined {
  return DIRECTORY_EVENTS.has(event.type) ? event.subject : undefined;
}

function withEmails(entry: DirectoryEntry): DirectoryEntry {
  entry.emailIndexes = [...new Set(Object.values(entry.contactEmails).filter((v): v is string => !!v))].sort();
  entry.careDateIndexes = [...new Set(Object.values(entry.contactCareDates).filter((v): v is string => !!v))].sort();
  return entry;
}

/** Pure: the entry after one of the customer's events (changed in place; time from the event). */
export function evolveDirectoryEntry(entry: DirectoryEntry | undefined, event: EventEnvelope): DirectoryEntry | null {
  if (isEventOf(event, 'CustomerRegistered')) {
    const d = event.data;
    return withEmails({
      customerId: d.customerId, kind: d.kind, legalName: d.kind === 'person' ? null : d.legalName,
      taxId: d.taxId ?? null, taxIdKey: d.taxId ? taxIdKey(d.taxId) : null, industry: d.industry ?? null, region: d.region ?? null,
      accountManager: d.accountManager ?? null, tags: d.tags ?? [], archived: false, abcClass: null, stage: null, rfm: null, clv: null,
      contactEmails: Object.fromEntries((d.contacts ?? []).map((c, i) => [registeredContactId(d.customerId, i), c.emailBlindIndex ?? null])),
      contactCareDates: Object.fromEntries((d.contacts ?? []).map((c, i) => [registeredContactId(d.customerId, i), c.birthdayBlindIndex ?? null])),
      emailIndexes: [], careDateIndexes: [], registeredAt: event.time,
    });
  }
  if (!entry) return null;
  if (isEventOf(event, 'CustomerProfileUpdated')) {
    const d = event.data;
    for (const field of d.changedFields) {
      if (field === 'legalName') entry.legalName = entry.kind === 'person' ? null : d.legalName ?? entry.legalName;
      else if (field === 'tags') entry.tags = d.tags ?? [];
      else if (field === 'taxId') { entry.taxId = d.taxId ?? null; entry.taxIdKey = d.taxId ? taxIdKey(d.taxId) : null; }
      else entry[field] = d[field] ?? null;
    }
  } else if (isEventOf(event, 'ContactAdded')) {
    entry.contactEmails[event.data.contactId] = event.data.emailBlindIndex ?? null;
    entry.contactCareDates[event.data.contactId] = event.data.birthdayBlindIndex ?? null;
    withEmails(entry);
  } else if (isEventOf(event, 'ContactUpdated')) {
    if (event.data.contactId in entry.contactEmails) {
      if (event.data.changedFields.includes('email')) entry.contactEmails[event.data.contactId] = event.data.emailBlindIndex ?? null;
      if (event.data.changedFields.includes('birthday')) entry.contactCareDates[event.data.contactId] = event.data.birthdayBlindIndex ?? null;
      withEmails(entry);
    }
  } else if (isEventOf(event, 'ContactRemoved')) {
    delete entry.contactEmails[event.data.contactId];
    delete entry.contactCareDates[event.data.contactId];
    withEmails(entry);
  } else if (isEventOf(event, 'AccountManagerAssigned')) {
    entry.accountManager = event.data.accountManager;
  } else if (isEventOf(event, 'CustomerArchived')) {
    entry.archived = true;
  } else if (isEventOf(event, 'CustomerReactivated')) {
    entry.archived = false;
  } else if (isEventOf(event, 'CustomerAbcClassChanged')) {
    entry.abcClass = event.data.abcClass;
  } else if (isEventOf(event, 'CustomerLifecycleStageChanged')) {
    entry.stage = event.data.stage;
  } else if (isEventOf(event, 'CustomerValueScored')) {
    entry.rfm = { ...event.data.rfm };
    entry.clv = { ...event.data.clv };
  } else if (isEventOf(event, 'CustomerPersonalDataErased')) {
    for (const contactId of Object.keys(entry.contactEmails)) entry.contactEmails[contactId] = null;
    for (const contactId of Object.keys(entry.contactCareDates)) entry.contactCareDates[contactId] = null;
    withEmails(entry);
    if (entry.kind === 'person') entry.legalName = null;
  }
  return entry;
}
