import { EventEnvelope } from '@crm/contracts';

/**
 * A read model of one JSON document per key, kept by a pure `evolve`. The projection
 * declares its table (extra generated columns give queries typed, indexed fields); the
 * eventing core owns loading, batching, the inbox, rebuilds and swaps.
 */
export interface DocumentProjection<D = any> {
  /** Stable name, e.g. `customer-directory`; also the consumer name. */
  name: string;
  /** Live table name, e.g. `customer_directory`. */
  table: string;
  topics: string[];
  /** Extra column definitions (usually `GENERATED ALWAYS AS (doc->>'x') STORED`). */
  columns?: string[];
  /** Index definitions; `{table}` is replaced by the live or shadow table name. */
  indexes?: string[];
  /**
   * Bump when `evolve` changes what it writes (default 1). Like a change of `columns` or
   * `indexes`, it makes the next start rebuild the read model (see projectionShape).
   */
  version?: number;
  /** The document(s) an event belongs to; undefined or [] when the projection ignores it. */
  keyOf(event: EventEnvelope): string | string[] | undefined;
  /** Next document; `null` deletes it. Pure: time only from the event. */
  evolve(document: D | undefined, event: EventEnvelope, key: string): D | null;
}

export function projectionTableDdl(projection: DocumentProjection, table: string, withIndexes = true): string {
  const columns = ['id text PRIMARY KEY', 'doc jsonb NOT NULL', ...(projection.columns ?? [])];
  const create = `CREATE TABLE IF NOT EXISTS ${table} (${columns.join(', ')});`;
  return withIndexes ? [create, projectionIndexesDdl(projection, table)].join('\n') : create;
}

/** Secondary indexes; a rebuild adds them once its rows are in (one bulk build, not per row). */
export function projectionIndexesDdl(projection: DocumentProjection, table: string): string {
  return (projection.indexes ?? []).map((i, n) =>
    `CREATE INDEX IF NOT EXISTS ${table}_i${n} ON ${table} ${i.replaceAll('{table}', table)};`).join('\n');
}
