import { EventingMigration, SqlRunner } from './eventing-migration';

/**
 * Why an operator skipped a parked event for good (replayed_at then records when). IF NOT
 * EXISTS: databases that started before this migration got the column from DDL that each
 * projection used to re-run at start.
 */
export class ParkedEventsSkipReason1764500000000 implements EventingMigration {
  readonly name = 'ParkedEventsSkipReason1764500000000';

  async up(db: SqlRunner): Promise<void> {
    await db.query('ALTER TABLE parked_events ADD COLUMN IF NOT EXISTS skip_reason text');
  }

  async down(db: SqlRunner): Promise<void> {
    await db.query('ALTER TABLE parked_events DROP COLUMN IF EXISTS skip_reason');
  }
}
