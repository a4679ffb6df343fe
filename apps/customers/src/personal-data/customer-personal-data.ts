import { customerContracts, personalDataPaths } from '@crm/contracts';
import { PersonalDataVault } from '@crm/eventing';

/** The personal-data paths of each customer event type and version, from its published schema. */
const PATHS = new Map(customerContracts.map((c) => [`${c.type}.v${c.version}`, personalDataPaths(c.schema)]));

export function personalPathsOf(event: { type: string; schemaVersion: number }): string[] {
  return PATHS.get(`${event.type}.v${event.schemaVersion}`) ?? [];
}

/** Seals each event's personal fields with the customer's key before the events are stored. */
export async function sealEvents<E extends { type: string; schemaVersion: number; data: any }>(
  vault: PersonalDataVault, customerId: string, events: E[],
): Promise<E[]> {
  return Promise.all(events.map(async (e) => ({ ...e, data: await vault.seal(customerId, e.data, personalPathsOf(e)) })));
}

/** Opens each event's personal fields; after an erasure they read `[erased]`. */
export async function openEvents<E extends { type: string; schemaVersion: number; data: any }>(
  vault: PersonalDataVault, customerId: string, events: E[],
): Promise<{ events: E[]; erased: boolean }> {
  let erased = false;
  const opened = await Promise.all(events.map(async (e) => {
    const result = await vault.open(customerId, e.data, personalPathsOf(e));
    erased ||= result.erased;
    return { ...e, data: result.data };
  }));
  return { events: opened, erased };
}
