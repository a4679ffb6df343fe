import { EventingMigration, SqlRunner } from './eventing-migration';

/**
 * A commit that appended events notifies `es_events_appended` (PostgreSQL delivers a NOTIFY at
 * commit, once per transaction for the same payload): the relay wakes at once instead of
 * waiting for its next poll (ADR 24).
 */
export class AppendNotifications1764650000000 implements EventingMigration {
  readonly name = 'AppendNotifications1764650000000';

  async up(db: SqlRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION es_notify_appended() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('es_events_appended', '');
        RETURN NULL;
      END $$;`);
    await db.query(`
      DROP TRIGGER IF EXISTS es_events_appended ON events;
      CREATE TRIGGER es_events_appended AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION es_notify_appended();`);
  }

  async down(db: SqlRunner): Promise<void> {
    await db.query('DROP TRIGGER IF EXISTS es_events_appended ON events; DROP FUNCTION IF EXISTS es_notify_appended();');
  }
}
