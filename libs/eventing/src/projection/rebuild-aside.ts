import { randomBytes } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { inboxDdl } from '../consumer/consumer.sql';
import { ConsumerRunner } from '../consumer/consumer-runner';
import { Transport } from '../transport/transport';
import { companionTableName, DocumentProjection, projectionTableDdl } from './document-projection';
import { ProjectionRunner } from './projection-runner';
import { RebuildMonitor } from './rebuild-monitor';
import { computeProgress, RebuildProgress } from './rebuild-progress';

export interface AsideTables {
  live: { documents: string; inbox: string };
  rebuilt: { documents: string; inbox: string };
}

/** The rebuilt and the live documents differ where the live consumer had applied exactly what the replay had. */
export class LiveReadModelBehindError extends Error {
  constructor(projection: string, readonly lagging: Array<{ topic: string; partition: number; live: number; rebuilt: number }>) {
    super(`the live ${projection} consumer is behind the replay (${lagging.map((l) => `${l.topic}/${l.partition}: live ${l.live}, rebuilt ${l.rebuilt}`).join('; ')}): is the service running?`);
    this.name = 'LiveReadModelBehindError';
  }
}

/**
 * Rebuilds a read model from offset zero into scratch tables beside the live ones, with the
 * rebuild's own consumer (whatever makes rebuilds fast makes this fast), and once it has read
 * everything hands both sets of tables to `inspect` inside one read-only snapshot in which the
 * live consumer's checkpoints equal the replay's: the live consumer writes its documents and
 * checkpoints in one transaction, so in that snapshot both have applied the same events. The
 * live tables are never written; the scratch tables and the consumer group are dropped after.
 */
export async function rebuildAside<T>(input: {
  pool: Pool;
  transport: Transport;
  runner: ProjectionRunner;
  projection: DocumentProjection;
  groupPrefix: string;
  inspect: (snapshot: PoolClient, tables: AsideTables) => Promise<T>;
  onProgress?: (progress: RebuildProgress) => void;
  /** How long to wait for the live consumer to reach what the replay has read. */
  liveWaitMs?: number;
}): Promise<T> {
  const { pool, transport, runner, projection } = input;
  const suffix = `__audit_${randomBytes(4).toString('hex')}`;
  const consumerName = `${projection.name}${suffix}`;
  const groupId = `${input.groupPrefix}.${projection.name}.audit.${suffix.slice(8)}`;
  const tables: AsideTables = { live: runner.tables(), rebuilt: runner.tables(suffix) };
  const monitor = new RebuildMonitor(pool, transport, projection, consumerName);
  let replay: ConsumerRunner | undefined;
  await pool.query([projectionTableDdl(projection, tables.rebuilt.documents, false), inboxDdl(tables.rebuilt.inbox)].join('\n'));
  try {
    const total = await monitor.totalEvents();
    const started = Date.now();
    for (;;) {
      replay = runner.replayInto(suffix, groupId);
      await replay.start();
      let previous: { processed: number; atMs: number } | undefined;
      for (;;) {
        const checkpoints = await monitor.checkpoints();
        const processed = checkpoints.reduce((sum, c) => sum + c.offset + 1, 0);
        const now = Date.now();
        input.onProgress?.(computeProgress({ projection: projection.name, status: 'running', processed, total: Math.max(total, processed), previous, nowMs: now }));
        previous ??= { processed: 0, atMs: started };
        if (now - previous.atMs >= 1000) previous = { processed, atMs: now };
        if (await monitor.caughtUp(checkpoints)) break;
        await sleep(200);
      }
      await replay.stop();
      replay = undefined;
      const outcome = await inspectWhenLiveMatches(input, consumerName, tables);
      if (outcome.done) return outcome.result as T;
      // The live consumer read past the replay meanwhile: read on, then look again.
    }
  } finally {
    await replay?.stop().catch(() => undefined);
    // The companion tables (e.g. the collection read model's open rows and history) go too.
    const companions = (projection.companions ?? []).map((c) => companionTableName(tables.rebuilt.documents, c.name));
    await pool.query(`DROP TABLE IF EXISTS ${[tables.rebuilt.documents, tables.rebuilt.inbox, ...companions].join(', ')}`);
    await pool.query('DELETE FROM consumer_checkpoints WHERE consumer = $1', [consumerName]);
    await pool.query('DELETE FROM parked_events WHERE consumer = $1', [consumerName]);
    await transport.deleteGroup(groupId).catch(() => undefined);
  }
}

async function inspectWhenLiveMatches<T>(
  input: { pool: Pool; projection: DocumentProjection; inspect: (snapshot: PoolClient, tables: AsideTables) => Promise<T>; liveWaitMs?: number },
  consumerName: string, tables: AsideTables,
): Promise<{ done: true; result: T } | { done: false }> {
  const deadline = Date.now() + (input.liveWaitMs ?? 60_000);
  for (;;) {
    const client = await input.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await client.query(
        `SELECT coalesce(l.topic, r.topic) AS topic, coalesce(l.partition, r.partition) AS partition,
                coalesce(l."offset", -1)::bigint AS live, coalesce(r."offset", -1)::bigint AS rebuilt
           FROM (SELECT * FROM consumer_checkpoints WHERE consumer = $1) l
           FULL JOIN (SELECT * FROM consumer_checkpoints WHERE consumer = $2) r ON r.topic = l.topic AND r.partition = l.partition
          WHERE coalesce(l."offset", -1) <> coalesce(r."offset", -1)`, [input.projection.name, consumerName]);
      const differing = rows.map((r) => ({ topic: r.topic, partition: r.partition, live: Number(r.live), rebuilt: Number(r.rebuilt) }));
      if (differing.length === 0) {
        const result = await input.inspect(client, tables);
        await client.query('COMMIT');
        return { done: true, result };
      }
      await client.query('ROLLBACK');
      if (differing.some((d) => d.live > d.rebuilt)) return { done: false };
      if (Date.now() > deadline) throw new LiveReadModelBehindError(input.projection.name, differing);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    await sleep(250);
  }
}

export interface DocumentDifference {
  id: string;
  /** null: the row is missing on that side. */
  live: unknown;
  rebuilt: unknown;
  /** Top-level fields whose values differ. */
  fields: string[];
}

export interface DocumentComparison {
  liveRows: number;
  rebuiltRows: number;
  differing: number;
  first: DocumentDifference[];
}

/** Counts the rows whose documents differ (missing on either side counts) and returns the first few, in id order. */
export async function compareDocuments(db: PoolClient, live: string, rebuilt: string, limit = 5): Promise<DocumentComparison> {
  const { rows: [counts] } = await db.query(
    `SELECT (SELECT count(*) FROM ${live})::bigint AS live, (SELECT count(*) FROM ${rebuilt})::bigint AS rebuilt,
            (SELECT count(*) FROM ${live} l FULL JOIN ${rebuilt} r ON r.id = l.id WHERE l.doc IS DISTINCT FROM r.doc)::bigint AS differing`);
  const { rows } = await db.query(
    `SELECT coalesce(l.id, r.id) AS id, l.doc AS live, r.doc AS rebuilt
       FROM ${live} l FULL JOIN ${rebuilt} r ON r.id = l.id WHERE l.doc IS DISTINCT FROM r.doc ORDER BY 1 LIMIT ${limit}`);
  return {
    liveRows: Number(counts.live), rebuiltRows: Number(counts.rebuilt), differing: Number(counts.differing),
    first: rows.map((r) => ({ id: r.id, live: r.live, rebuilt: r.rebuilt, fields: differingFields(r.live, r.rebuilt) })),
  };
}

export interface CompanionComparison {
  /** The companion's logical name (its table is `<documents table>_<name>`). */
  companion: string;
  liveRows: number;
  rebuiltRows: number;
  /** Rows found on one side and not (as many times) on the other; a changed row counts on both. */
  differing: number;
  first: Array<{ side: 'live' | 'rebuilt'; row: Record<string, unknown> }>;
}

/**
 * Compares each SQL companion table of the projection with its rebuilt copy row for row
 * (whole rows as JSON, duplicates counted: EXCEPT ALL both ways), in the caller's snapshot.
 * Companion tables have no common key, so a differing row is shown whole, which names it.
 */
export async function compareCompanions(db: PoolClient, projection: DocumentProjection, live: string, rebuilt: string, limit = 5): Promise<CompanionComparison[]> {
  const results: CompanionComparison[] = [];
  for (const { name } of projection.companions ?? []) {
    const [l, r] = [companionTableName(live, name), companionTableName(rebuilt, name)];
    const onlyIn = (a: string, b: string) => `SELECT to_jsonb(t) AS row FROM ${a} t EXCEPT ALL SELECT to_jsonb(t) FROM ${b} t`;
    const { rows: [counts] } = await db.query(
      `SELECT (SELECT count(*) FROM ${l})::bigint AS live, (SELECT count(*) FROM ${r})::bigint AS rebuilt,
              (SELECT count(*) FROM (${onlyIn(l, r)}) x)::bigint + (SELECT count(*) FROM (${onlyIn(r, l)}) y)::bigint AS differing`);
    const { rows } = await db.query(
      `(SELECT 'live' AS side, row FROM (${onlyIn(l, r)}) x ORDER BY row::text LIMIT ${limit})
       UNION ALL (SELECT 'rebuilt', row FROM (${onlyIn(r, l)}) y ORDER BY row::text LIMIT ${limit})`);
    results.push({
      companion: name, liveRows: Number(counts.live), rebuiltRows: Number(counts.rebuilt), differing: Number(counts.differing),
      first: rows.map((x) => ({ side: x.side, row: x.row })),
    });
  }
  return results;
}

function differingFields(live: Record<string, unknown> | null, rebuilt: Record<string, unknown> | null): string[] {
  if (!live || !rebuilt || typeof live !== 'object' || typeof rebuilt !== 'object') return [];
  const keys = [...new Set([...Object.keys(live), ...Object.keys(rebuilt)])].sort();
  return keys.filter((k) => JSON.stringify(live[k]) !== JSON.stringify(rebuilt[k]));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
