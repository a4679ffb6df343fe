export const PROJECTION_DDL = `
CREATE TABLE IF NOT EXISTS projection_rebuilds (
  projection  text PRIMARY KEY,
  rebuild_id  text        NOT NULL,
  status      text        NOT NULL CHECK (status IN ('running', 'completed')),
  total       bigint      NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
`;
