import { creditContracts } from './credit/credit-events';
import { customerContracts } from './customers/customer-events';
import { engagementContracts } from './engagement/engagement-events';
import { receivablesContracts } from './receivables/receivables-events';
import { EventContract } from './json-schema';
import { platformContracts } from './platform/audit-events';
import { ServiceName } from './topics';

/** Every published event type and version; the contract test checks each against its committed schema. */
export const publishedContracts: EventContract[] = [...customerContracts, ...creditContracts, ...receivablesContracts, ...engagementContracts, ...platformContracts];

/** Which service publishes which contracts (each on its one topic): the event catalogue reads this. */
export const contractsByService: Record<ServiceName, EventContract[]> = {
  customers: [...customerContracts, ...platformContracts], credit: [...creditContracts, ...platformContracts],
  receivables: [...receivablesContracts, ...platformContracts], engagement: [...engagementContracts, ...platformContracts],
};

export function schemaFileName(contract: Pick<EventContract, 'type' | 'version'>): string {
  return `${contract.type}.v${contract.version}.json`;
}
