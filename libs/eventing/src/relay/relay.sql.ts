export const RELAY_DDL = `
CREATE TABLE IF NOT EXISTS relay_checkpoints (
  name            text PRIMARY KEY,
  transaction_id  xid8        NOT NULL DEFAULT '0',
  global_position bigint      NOT NULL DEFAULT 0,
  holder          text,
  lease_until     timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
`;
