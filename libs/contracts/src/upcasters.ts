import { creditUpcasters } from './credit/credit-events';

/** Upgrades one event type's payload from `fromVersion` to the next; published with the contracts. */
export interface ContractUpcaster {
  type: string;
  fromVersion: number;
  upcast(data: Record<string, unknown>): Record<string, unknown>;
}

/** Every upcaster of every published event type: each reader sees the current version only. */
export const contractUpcasters: ContractUpcaster[] = [...creditUpcasters];
