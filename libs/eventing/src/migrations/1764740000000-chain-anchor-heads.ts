import { EventingMigration, SqlRunner } from './eventing-migration';

/**
 * The stream heads the latest chain anchor covered. The root in the anchor event is what
 * counts; this copy only lets verification name the stream whose head no longer matches (it
 * is itself checked against that root before it is believed).
 */
export class ChainAnchorHeads1764740000000 implements EventingMigration {
  readonly name = 'ChainAnchorHeads1764740000000';

  async up(db: SqlRunner): Promise<void> {
    await db.query(`
      CREATE TABLE IF NOT EXISTS chain_anchor_heads (
        stream_id      text    PRIMARY KEY,
        stream_version integer NOT NULL,
        hash           text    NOT NULL
      );`);
  }

  async down(db: SqlRunner): Promise<void> {
    await db.query('DROP TABLE IF EXISTS chain_anchor_heads');
  }
}
