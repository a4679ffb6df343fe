import { EventingMigration, SqlRunner } from './eventing-migration';

/**
 * Unique lookups (ADR 12's lookups, claimed): an id only one stream may own, such as a tax id.
 * `es_append_indexed` writes ordinary lookups with ON CONFLICT DO NOTHING, so two streams
 * can race for one id and both win. `es_append_claiming` claims ids in the append's
 * transaction without that clause: of two concurrent claims the second waits for the first
 * and then fails with SQLSTATE P0410 naming the stream that owns the id (DETAIL), and its
 * events are not appended. Releasing an id (a changed tax id) deletes this stream's claim.
 */
export class UniqueLookups1764600000000 implements EventingMigration {
  readonly name = 'UniqueLookups1764600000000';

  async up(db: SqlRunner): Promise<void> {
    await db.query(`
CREATE OR REPLACE FUNCTION es_append_claiming(
  p_stream_id text, p_expected integer, p_partition_key text, p_events jsonb,
  p_idem_scope text, p_idem_key text, p_idem_hash text, p_idem_response jsonb,
  p_lookups jsonb, p_schedule jsonb, p_claims jsonb, p_releases jsonb
) RETURNS TABLE (next_version integer, last_global_position bigint, appended boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  r record;
  c jsonb;
  owner text;
BEGIN
  SELECT * INTO r FROM es_append_indexed(p_stream_id, p_expected, p_partition_key, p_events,
    p_idem_scope, p_idem_key, p_idem_hash, p_idem_response, p_lookups, p_schedule);
  IF r.appended THEN
    IF p_releases IS NOT NULL THEN
      DELETE FROM stream_lookups l USING jsonb_array_elements(p_releases) x
       WHERE l.kind = x->>'kind' AND l.id = x->>'id' AND l.stream_id = p_stream_id;
    END IF;
    IF p_claims IS NOT NULL THEN
      FOR c IN SELECT * FROM jsonb_array_elements(p_claims) LOOP
        BEGIN
          INSERT INTO stream_lookups (kind, id, stream_id) VALUES (c->>'kind', c->>'id', p_stream_id);
        EXCEPTION WHEN unique_violation THEN
          SELECT l.stream_id INTO owner FROM stream_lookups l WHERE l.kind = c->>'kind' AND l.id = c->>'id';
          IF owner IS DISTINCT FROM p_stream_id THEN
            RAISE EXCEPTION 'the % % belongs to stream %', c->>'kind', c->>'id', owner
              USING ERRCODE = 'P0410', DETAIL = coalesce(owner, '');
          END IF;
        END;
      END LOOP;
    END IF;
  END IF;
  RETURN QUERY SELECT r.next_version, r.last_global_position, r.appended;
END
$fn$;`);
  }

  async down(db: SqlRunner): Promise<void> {
    await db.query('DROP FUNCTION IF EXISTS es_append_claiming');
  }
}
