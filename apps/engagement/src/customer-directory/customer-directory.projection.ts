import { eventsTopic } from '@crm/contracts';
import { customerDirectoryKey, evolveCustomerDirectory } from '@crm/engagement-domain';
import { DocumentProjection } from '@crm/eventing';

export const CUSTOMER_DIRECTORY = 'customer-directory';

export function customerDirectoryProjection(topicPrefix: string): DocumentProjection {
  return {
    name: CUSTOMER_DIRECTORY,
    table: 'customer_directory',
    topics: [eventsTopic('customers', topicPrefix)],
    columns: [
      `legal_name text GENERATED ALWAYS AS (doc->>'legalName') STORED`,
      `region text GENERATED ALWAYS AS (doc->>'region') STORED`,
    ],
    indexes: ['(region, legal_name)'],
    // 2: a person's legal name is not kept (a rebuild removes names kept before).
    version: 2,
    keyOf: customerDirectoryKey,
    evolve: evolveCustomerDirectory,
  };
}
