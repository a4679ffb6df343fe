import { Queryable } from '../store/sql-client';
import { VersionedState } from './stream-state-cache';

/**
 * Folded states saved with their stream version. A snapshot is only ever a shortcut: the
 * tail after it is always read, and a snapshot of another schema version is ignored.
 */
export class SnapshotStore {
  constructor(private readonly db: Queryable) {}

  async load<S>(streamId: string, kind: string, schemaVersion: number): Promise<VersionedState<S> | undefined> {
    const { rows } = await this.db.query(
      'SELECT stream_version, state FROM snapshots WHERE stream_id = $1 AND kind = $2 AND schema_version = $3',
      [streamId, kind, schemaVersion]);
    return rows.length ? { version: rows[0].stream_version, state: rows[0].state as S } : undefined;
  }

  /** `stateJson` is serialised by the caller at `version`: the state object may move on meanwhile. */
  async save(streamId: string, kind: string, schemaVersion: number, version: number, stateJson: string): Promise<void> {
    await this.db.query(
      `INSERT INTO snapshots (stream_id, kind, schema_version, stream_version, state) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (stream_id) DO UPDATE
         SET kind = EXCLUDED.kind, schema_version = EXCLUDED.schema_version, stream_version = EXCLUDED.stream_version,
             state = EXCLUDED.state, taken_at = now()
       WHERE snapshots.schema_version <> EXCLUDED.schema_version OR snapshots.stream_version < EXCLUDED.stream_version`,
      [streamId, kind, schemaVersion, version, stateJson]);
  }
}
