/**
 * One data key per subject (customer), stored wrapped by the service's master key so that a
 * copy of the database alone opens nothing. Erasure nulls the key and keeps the row, so a
 * later write cannot silently create a fresh key for an erased customer.
 */
export const PERSONAL_DATA_DDL = `
CREATE TABLE IF NOT EXISTS personal_data_keys (
  subject     text        PRIMARY KEY,
  wrapped_key bytea,
  created_at  timestamptz NOT NULL DEFAULT now(),
  erased_at   timestamptz,
  CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
);
`;
