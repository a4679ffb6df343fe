import { customerContracts, personalDataPaths } from '@crm/contracts';
import { PersonalDataVault } from '@crm/eventing';

/** The personal-data paths of each customer event type and version, from its published schema. */
const PATHS = new Map(customerContracts.map((c) => [`${c.type}.v${c.version}`, personalDataPaths(c.schema)]));

type CustomerEventLike = { type: string; schemaVersion: number; data: any };

export function personalPathsOf(event: { type: string; schemaVersion: number }): string[] {
  return PATHS.get(`${event.type}.v${event.schemaVersion}`) ?? [];
}

/** Seals each event's personal fields with the customer's key before the events are stored. */
export async function sealEvents<E extends CustomerEventLike>(vault: PersonalDataVault, customerId: string, events: E[]): Promise<E[]> {
  return Promise.all(events.map(async (e) => ({ ...e, data: await vault.seal(customerId, e.data, personalPathsOf(e)) })));
}

/**
 * Opens each event's personal fields with one key read; after an erasure they read `[erased]`.
 * If the history records an erasure whose key destruction did not happen (a crash between the
 * two), the key is destroyed now, before anything is shown.
 */
export async function openEvents<E extends CustomerEventLike>(vault: PersonalDataVault, customerId: string, events: E[]): Promise<E[]> {
  if (events.some((e) => e.type === 'CustomerPersonalDataErased') && !(await vault.isErased(customerId))) {
    await vault.erase(customerId);
  }
  const { data } = await vault.openAll(customerId, events.map((e) => ({ data: e.data, paths: personalPathsOf(e) })));
  return events.map((e, i) => ({ ...e, data: data[i] }));
}
