import { customerContracts, personalDataPaths } from '@crm/contracts';
import { PersonalDataVault } from '@crm/eventing';

/** The personal-data paths of each customer event type and version, from its published schema. */
const PATHS = new Map(customerContracts.map((c) => [`${c.type}.v${c.version}`, personalDataPaths(c.schema)]));

type CustomerEventLike = { type: string; schemaVersion: number; data: any };

/** Events that carry the legal name: a person's is personal data, a company's is not. */
const LEGAL_NAME_EVENTS = new Set(['CustomerRegistered', 'CustomerProfileUpdated']);

/** The customer's kind never changes: its registration tells it, in clear. */
export function kindOf(events: CustomerEventLike[]): string | undefined {
  return events.find((e) => e.type === 'CustomerRegistered')?.data.kind;
}

export function personalPathsOf(event: { type: string; schemaVersion: number }, kind?: string): string[] {
  const paths = PATHS.get(`${event.type}.v${event.schemaVersion}`) ?? [];
  return kind === 'person' && LEGAL_NAME_EVENTS.has(event.type) ? [...paths, 'legalName'] : paths;
}

/**
 * Seals each event's personal fields with the customer's key before the events are stored;
 * a person's legal name too (`kind`: the customer's, from its state when not registered here).
 */
export async function sealEvents<E extends CustomerEventLike>(vault: PersonalDataVault, customerId: string, events: E[], kind?: string): Promise<E[]> {
  const customerKind = kindOf(events) ?? kind;
  return Promise.all(events.map(async (e) => ({ ...e, data: await vault.seal(customerId, e.data, personalPathsOf(e, customerKind)) })));
}

/**
 * Opens each event's personal fields with one key read; after an erasure they read `[erased]`.
 * If the history records an erasure whose key destruction did not happen (a crash between the
 * two), the key is destroyed now, before anything is shown.
 */
export async function openEvents<E extends CustomerEventLike>(vault: PersonalDataVault, customerId: string, events: E[]): Promise<E[]> {
  // A person's legal name is opened with the contacts: `events` starts with the registration.
  if (events.some((e) => e.type === 'CustomerPersonalDataErased') && !(await vault.isErased(customerId))) {
    await vault.erase(customerId);
  }
  const kind = kindOf(events);
  const { data } = await vault.openAll(customerId, events.map((e) => ({ data: e.data, paths: personalPathsOf(e, kind) })));
  return events.map((e, i) => ({ ...e, data: data[i] }));
}
