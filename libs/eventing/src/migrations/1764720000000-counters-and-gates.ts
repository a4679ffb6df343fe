import { EventingMigration, SqlRunner } from './eventing-migration';

/**
 * Two index tables a command writes in its append's transaction (ADR 26):
 * - `gapless_counters`: the last number taken in a series (invoice numbers). Taking one locks
 *   the series' row until the append commits, so a refused or conflicting command rolls its
 *   number back and the series has no gap; numbers follow the commit order.
 * - `stream_gates`: a gate per (kind, id), such as an accounting period, that a stream closes.
 *   A command that must not write behind a closed gate reads it FOR SHARE in its append's
 *   transaction (creating it open if missing), and the close upserts it: whichever comes
 *   second waits for the first, so no write lands behind a gate closed before it committed.
 */
export class CountersAndGates1764720000000 implements EventingMigration {
  readonly name = 'CountersAndGates1764720000000';

  async up(db: SqlRunner): Promise<void> {
    await db.query(`
CREATE TABLE IF NOT EXISTS gapless_counters (
  series     text   PRIMARY KEY,
  last_value bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS stream_gates (
  kind      text        NOT NULL,
  id        text        NOT NULL,
  closed    boolean     NOT NULL,
  -- the stream whose event closed it (empty while open)
  stream_id text        NOT NULL,
  PRIMARY KEY (kind, id)
);`);
  }

  async down(db: SqlRunner): Promise<void> {
    await db.query('DROP TABLE IF EXISTS gapless_counters, stream_gates');
  }
}
