/** Upgrades one event type's payload from `fromVersion` to the next; published with the contracts. */
export interface ContractUpcaster {
  type: string;
  fromVersion: number;
  upcast(data: Record<string, unknown>): Record<string, unknown>;
}

/** Every upcaster of every published event type (none yet: all contracts are at version 1). */
export const contractUpcasters: ContractUpcaster[] = [];
