import { EventingMigration, SqlRunner } from './eventing-migration';

/** Progress of each business date's close (ADR 13): operational state, the events are the history. */
export class DayCloseRuns1764550000000 implements EventingMigration {
  readonly name = 'DayCloseRuns1764550000000';

  async up(db: SqlRunner): Promise<void> {
    await db.query(`
      CREATE TABLE IF NOT EXISTS day_close_runs (
        business_date date        PRIMARY KEY,
        event_id      uuid        NOT NULL,
        status        text        NOT NULL CHECK (status IN ('running', 'completed', 'superseded')),
        accounts_due  integer     NOT NULL,
        accounts_done integer     NOT NULL DEFAULT 0,
        recorded      jsonb       NOT NULL DEFAULT '{}',
        started_at    timestamptz NOT NULL DEFAULT now(),
        completed_at  timestamptz
      );`);
  }

  async down(db: SqlRunner): Promise<void> {
    await db.query('DROP TABLE IF EXISTS day_close_runs');
  }
}
