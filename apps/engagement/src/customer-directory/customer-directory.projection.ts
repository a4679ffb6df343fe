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
      `abc_class text GENERATED ALWAYS AS (doc->>'abcClass') STORED`,
      `account_manager text GENERATED ALWAYS AS (doc->>'accountManager') STORED`,
    ],
    indexes: ['(region, legal_name)', '(abc_class, id)', '(account_manager, id)'],
    // 2: a person's legal name is not kept (a rebuild removes names kept before).
    // 3: class, stage, consent, account manager and archiving follow the customers' events.
    version: 3,
    keyOf: customerDirectoryKey,
    evolve: evolveCustomerDirectory,
  };
}
