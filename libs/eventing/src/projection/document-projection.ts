import { EventEnvelope } from '@crm/contracts';
import { PoolClient } from 'pg';

/**
 * A table of its own that a document projection keeps in SQL beside its documents: real
 * columns and indexes, written by set operations in `apply` (one statement per batch or per
 * applied business day, not one per row). It is created, shadowed on a rebuild and swapped in
 * with the documents, so it is rebuildable from offset zero like every read model.
 */
export interface CompanionTable {
  /** Logical name: its live table is `<projection table>_<name>`, and `tables[name]` in `apply`. */
  name: string;
  /** Column and constraint definitions of CREATE TABLE. */
  columns: string[];
  /** Index definitions; `{table}` is replaced by the live or shadow table name. */
  indexes?: string[];
}

/** What `apply` gets: the batch, the documents it changed (null: deleted), the run's tables. */
export interface CompanionBatch<D> {
  tx: PoolClient;
  events: EventEnvelope[];
  changed: Map<string, D | null>;
  /** Live or shadow names: `documents` and each companion by its logical name. */
  tables: Record<string, string>;
}

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
  /** SQL tables kept beside the documents (see CompanionTable); `apply` keeps them. */
  companions?: CompanionTable[];
  /**
   * Runs in the batch's transaction once the documents are written, for every batch (also
   * one none of whose events has a document key): keeps the companion tables. Must give the
   * same rows whatever the batch boundaries, so a rebuild equals the live model.
   */
  apply?(batch: CompanionBatch<D>): Promise<void>;
  /**
   * True when `apply` needs only the events that have a document key (its rows follow from the
   * changed documents and their events): the others then stay irrelevant to a live consumer
   * (ADR 40) instead of each costing it a transaction. Default: `apply` sees every batch.
   */
  applyKeyedOnly?: boolean;
}

export function companionTableName(table: string, companion: string): string {
  return `${table}_${companion}`;
}

export function projectionTableDdl(projection: DocumentProjection, table: string, withIndexes = true): string {
  const columns = ['id text PRIMARY KEY', 'doc jsonb NOT NULL', ...(projection.columns ?? [])];
  const create = [`CREATE TABLE IF NOT EXISTS ${table} (${columns.join(', ')});`,
    ...(projection.companions ?? []).map((c) => `CREATE TABLE IF NOT EXISTS ${companionTableName(table, c.name)} (${c.columns.join(', ')});`)].join('\n');
  return withIndexes ? [create, projectionIndexesDdl(projection, table)].join('\n') : create;
}

/** Secondary indexes; a rebuild adds them once its rows are in (one bulk build, not per row). */
export function projectionIndexesDdl(projection: DocumentProjection, table: string): string {
  const ddl = (indexes: readonly string[], on: string) => indexes.map((i, n) =>
    `CREATE INDEX IF NOT EXISTS ${on}_i${n} ON ${on} ${i.replaceAll('{table}', on)};`);
  return [...ddl(projection.indexes ?? [], table),
    ...(projection.companions ?? []).flatMap((c) => ddl(c.indexes ?? [], companionTableName(table, c.name)))].join('\n');
}
