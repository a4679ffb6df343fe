import { COMMAND_SUPPORT_DDL } from '../command/command-support.sql';
import { EventingMigration, SqlRunner } from './eventing-migration';

/** Snapshots, id lookups and the day-close schedule of the command handler (ADR 12). */
export class CommandSupport1764300000000 implements EventingMigration {
  readonly name = 'CommandSupport1764300000000';

  async up(db: SqlRunner): Promise<void> {
    await db.query(COMMAND_SUPPORT_DDL);
  }

  async down(db: SqlRunner): Promise<void> {
    await db.query(`DROP FUNCTION IF EXISTS es_append_indexed; DROP TABLE IF EXISTS snapshots, stream_lookups, stream_schedule`);
  }
}
