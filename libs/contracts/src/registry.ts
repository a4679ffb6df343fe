import { creditContracts } from './credit/credit-events';
import { customerContracts } from './customers/customer-events';
import { engagementContracts } from './engagement/engagement-events';
import { receivablesContracts } from './receivables/receivables-events';
import { EventContract } from './json-schema';

/** Every published event type and version; the contract test checks each against its committed schema. */
export const publishedContracts: EventContract[] = [...customerContracts, ...creditContracts, ...receivablesContracts, ...engagementContracts];

export function schemaFileName(contract: Pick<EventContract, 'type' | 'version'>): string {
  return `${contract.type}.v${contract.version}.json`;
}
