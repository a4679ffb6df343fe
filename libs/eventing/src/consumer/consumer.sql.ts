/** The first migration's consumer tables (Eventing1764000000000): later changes are migrations of their own. */
export const CONSUMER_DDL = `
CREATE TABLE IF NOT EXISTS consumer_checkpoints (
  consumer        text        NOT NULL,
  topic           text        NOT NULL,
  partition       integer     NOT NULL,
  "offset"        bigint      NOT NULL,
  last_event_time timestamptz,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, topic, partition)
);

CREATE TABLE IF NOT EXISTS parked_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  consumer    text        NOT NULL,
  topic       text        NOT NULL,
  partition   integer     NOT NULL,
  "offset"    bigint      NOT NULL,
  key         text        NOT NULL,
  event_id    uuid        NOT NULL,
  envelope    jsonb       NOT NULL,
  error       text        NOT NULL,
  blocked_by  uuid,
  parked_at   timestamptz NOT NULL DEFAULT now(),
  replayed_at timestamptz
);
CREATE INDEX IF NOT EXISTS parked_events_open_idx ON parked_events (consumer, key) WHERE replayed_at IS NULL;
`;

/** Each consumer has its own inbox table, so a rebuild can swap it in with its read model. */
export function inboxDdl(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (
    event_id   uuid PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  );`;
}
