import { EventingMigration, SqlRunner } from './eventing-migration';

/**
 * Each checkpoint row can hold the last log position (transaction id, global position) its
 * consumer applied on that partition: a rebuild drops relay repeats by it instead of writing
 * an inbox row per event, and the swap carries it to the live consumer (ADR 31).
 */
export class CheckpointLogPositions1764760000000 implements EventingMigration {
  readonly name = 'CheckpointLogPositions1764760000000';

  async up(db: SqlRunner): Promise<void> {
    await db.query(`ALTER TABLE consumer_checkpoints ADD COLUMN IF NOT EXISTS applied_transaction_id xid8,
      ADD COLUMN IF NOT EXISTS applied_position bigint`);
  }

  async down(db: SqlRunner): Promise<void> {
    await db.query('ALTER TABLE consumer_checkpoints DROP COLUMN IF EXISTS applied_transaction_id, DROP COLUMN IF EXISTS applied_position');
  }
}
