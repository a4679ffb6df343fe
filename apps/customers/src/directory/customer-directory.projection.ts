import { eventsTopic } from '@crm/contracts';
import { directoryKey, DirectoryEntry, evolveDirectoryEntry } from '@crm/customers-domain';
import { DocumentProjection } from '@crm/eventing';

export const CUSTOMER_DIRECTORY = 'customers-directory';

/** Customers' own directory, from its own published events (sealed data stays sealed in it). */
export function customersDirectoryProjection(prefix: string): DocumentProjection<DirectoryEntry> {
  return {
    name: CUSTOMER_DIRECTORY,
    table: 'customers_directory',
    topics: [eventsTopic('customers', prefix)],
    columns: [
      `kind text GENERATED ALWAYS AS (doc->>'kind') STORED`,
      `legal_name_lower text GENERATED ALWAYS AS (lower(doc->>'legalName')) STORED`,
      `tax_id_key text GENERATED ALWAYS AS (doc->>'taxIdKey') STORED`,
      `region text GENERATED ALWAYS AS (doc->>'region') STORED`,
      `account_manager text GENERATED ALWAYS AS (doc->>'accountManager') STORED`,
    ],
    indexes: ['(tax_id_key)', 'USING gin ((doc->\'emailIndexes\'))', 'USING gin ((doc->\'tags\'))', 'USING gin ((doc->\'careDateIndexes\'))'],
    // 2: the recorded RFM and CLV (the day close compares against them).
    version: 2,
    keyOf: directoryKey,
    evolve: (doc, event) => evolveDirectoryEntry(doc, event),
  };
}
