import { AppendNotifications1764650000000 } from './1764650000000-append-notifications';
import { EventingMigration, SqlRunner } from './eventing-migration';

/**
 * Commits are announced by the appending process after they commit (AppendNotifier, ADR 24),
 * no longer by a trigger inside the appending transaction: a NOTIFY there holds PostgreSQL's
 * cluster-wide notification lock through the commit's WAL flush and serialised every
 * concurrent append's commit.
 */
export class AppendNotificationsAfterCommit1764780000000 implements EventingMigration {
  readonly name = 'AppendNotificationsAfterCommit1764780000000';

  async up(db: SqlRunner): Promise<void> {
    await db.query('DROP TRIGGER IF EXISTS es_events_appended ON events; DROP FUNCTION IF EXISTS es_notify_appended();');
  }

  async down(db: SqlRunner): Promise<void> {
    await new AppendNotifications1764650000000().up(db);
  }
}
