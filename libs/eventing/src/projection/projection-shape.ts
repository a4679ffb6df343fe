import { createHash } from 'node:crypto';
import { inboxDdl } from '../consumer/consumer.sql';
import { Queryable } from '../store/sql-client';
import { DocumentProjection, projectionTableDdl } from './document-projection';

const PREFIX = 'crm projection shape ';

/**
 * A digest of what a projection's tables are made of: its columns and indexes, the inbox,
 * and its `version` (bumped when `evolve` changes). Projection tables are created at run time
 * with CREATE TABLE IF NOT EXISTS, which would silently keep an old column set; the digest,
 * kept as the table's comment, tells that the live table is stale and must be rebuilt.
 */
export function projectionShape(projection: DocumentProjection): string {
  const ddl = [projectionTableDdl(projection, '{table}'), inboxDdl('{inbox}'), `version ${projection.version ?? 1}`].join('\n');
  return createHash('sha256').update(ddl).digest('hex').slice(0, 16);
}

/** The shape a table was created with; null when it has none (created before shapes were recorded), undefined when there is no such table. */
export async function recordedShape(db: Queryable, table: string): Promise<string | null | undefined> {
  const { rows: [row] } = await db.query(
    `SELECT to_regclass($1) IS NOT NULL AS present, obj_description(to_regclass($1), 'pg_class') AS comment`, [table]);
  if (!row.present) return undefined;
  return typeof row.comment === 'string' && row.comment.startsWith(PREFIX) ? row.comment.slice(PREFIX.length) : null;
}

/** SQL that records the shape on a table (the comment moves with it when a swap renames it). */
export function recordShapeSql(table: string, shape: string): string {
  return `COMMENT ON TABLE ${table} IS '${PREFIX}${shape.replace(/[^0-9a-f]/g, '')}';`;
}
