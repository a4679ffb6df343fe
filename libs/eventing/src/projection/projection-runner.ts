import { randomUUID } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { Logger } from 'pino';
import { CONSUMER_DDL, inboxDdl } from '../consumer/consumer.sql';
import { ConsumerRunner } from '../consumer/consumer-runner';
import { rebuildEventsPerSecond, rebuildProgressRatio } from '../metrics/eventing-metrics';
import { inTransaction } from '../store/sql-client';
import { Transport } from '../transport/transport';
import { UpcasterRegistry } from '../upcasting/upcaster-registry';
import { DocumentProjection, projectionIndexesDdl, projectionTableDdl } from './document-projection';
import { DocumentProjectionHandler } from './document-projection-handler';
import { PROJECTION_DDL } from './projection.sql';
import { computeProgress, RebuildProgress } from './rebuild-progress';

export interface ProjectionRunnerOptions {
  /** Prefix of consumer group ids, e.g. the service name. */
  groupPrefix: string;
  upcasters?: UpcasterRegistry;
  logger?: Logger;
  /** Smaller fetches make smaller batches (and a slower rebuild); see SubscribeOptions. */
  maxBytesPerPartition?: number;
  /** Test seam: called after each progress sample of a running rebuild. */
  onProgress?: (progress: RebuildProgress) => void;
  /** The live consumer copies the events it parks here; a rebuild's parkings stay in the table. */
  deadLetterTopic?: string;
}

const SHADOW = '__rebuild';

/** Another replica holds this projection's rebuild (HTTP 409). */
export class RebuildRunningElsewhereError extends Error {
  constructor(projection: string) {
    super(`a rebuild of ${projection} is running on another replica`);
    this.name = 'RebuildRunningElsewhereError';
  }
}

/**
 * Keeps one document projection live, and rebuilds it from offset zero into shadow tables
 * that are swapped in once caught up; the live tables answer queries meanwhile. A rebuild
 * survives a crash: its state row, shadow tables and group offsets let it resume.
 */
export class ProjectionRunner {
  private live?: ConsumerRunner;
  private rebuild?: ConsumerRunner;
  private monitor?: Promise<void>;
  private stopping = false;
  private lastProgress: RebuildProgress;
  /** Set from start to swap, including the moment the replay is paused for the swap. */
  private activeRebuildId?: string;
  private starting?: Promise<RebuildProgress>;
  /** Session advisory lock: one replica runs (or resumes) a projection's rebuild. */
  private rebuildLock?: PoolClient;

  constructor(
    private readonly pool: Pool,
    private readonly transport: Transport,
    private readonly projection: DocumentProjection,
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.lastProgress = computeProgress({ projection: projection.name, status: 'idle', processed: 0, total: 0, nowMs: 0 });
  }

  private get swapLockKey() {
    return `projection-swap:${this.projection.name}`;
  }

  private tablesFor(suffix: string) {
    return { documents: `${this.projection.table}${suffix}`, inbox: `${this.projection.table}${suffix}_inbox` };
  }

  async install(): Promise<void> {
    const live = this.tablesFor('');
    await this.pool.query([CONSUMER_DDL, PROJECTION_DDL, projectionTableDdl(this.projection, live.documents),
      inboxDdl(live.inbox)].join('\n'));
  }

  async start(): Promise<void> {
    await this.install();
    this.live = this.consumer('', `${this.options.groupPrefix}.${this.projection.name}`, 'live');
    await this.live.start();
    const { rows } = await this.pool.query(
      `SELECT rebuild_id FROM projection_rebuilds WHERE projection = $1 AND status = 'running'`, [this.projection.name]);
    if (rows[0] && await this.acquireRebuildLock()) {
      const { rows: [shadow] } = await this.pool.query('SELECT to_regclass($1) IS NOT NULL AS present', [this.tablesFor(SHADOW).documents]);
      if (shadow.present) {
        this.options.logger?.info({ projection: this.projection.name }, 'resuming an interrupted rebuild');
        await this.runRebuild(rows[0].rebuild_id);
      } else {
        // Recorded as running but its tables are gone: nothing to resume, start it over.
        this.options.logger?.warn({ projection: this.projection.name }, 'interrupted rebuild has no shadow tables; starting it over');
        await this.beginRebuild();
      }
    }
  }

  private async acquireRebuildLock(): Promise<boolean> {
    if (this.rebuildLock) return true;
    const client = await this.pool.connect();
    const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`projection-rebuild:${this.projection.name}`]);
    if (!rows[0].ok) {
      client.release();
      return false;
    }
    // If the server drops this connection the lock is gone with it: forget it instead of
    // crashing on an unhandled 'error' event (the resume logic takes over on restart).
    client.on('error', (error) => {
      this.options.logger?.warn({ err: error, projection: this.projection.name }, 'rebuild lock connection lost');
      this.rebuildLock = undefined;
    });
    this.rebuildLock = client;
    return true;
  }

  private releaseRebuildLock(): void {
    // Releasing the connection ends the session, and with it the advisory lock.
    this.rebuildLock?.release(true);
    this.rebuildLock = undefined;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.monitor;
    await Promise.all([this.rebuild?.stop(), this.live?.stop()]);
    this.activeRebuildId = undefined;
    this.releaseRebuildLock();
  }

  get progress(): RebuildProgress {
    return this.lastProgress;
  }

  /**
   * Progress as any replica can report it: this one's own figures while it runs the rebuild
   * (or has run it since it started), otherwise what the database records — a rebuild running
   * on another replica, or the last one that completed, across restarts.
   */
  async recordedProgress(): Promise<RebuildProgress> {
    if (this.activeRebuildId || this.lastProgress.status !== 'idle') return this.lastProgress;
    const { rows: [row] } = await this.pool.query('SELECT status, total FROM projection_rebuilds WHERE projection = $1', [this.projection.name]);
    if (!row) return this.lastProgress;
    const total = Number(row.total);
    const processed = row.status === 'completed' ? total
      : (await this.rebuildCheckpoints()).reduce((sum, c) => sum + c.offset + 1, 0);
    return computeProgress({ projection: this.projection.name, status: row.status, processed, total: Math.max(total, processed), nowMs: Date.now() });
  }

  /**
   * Starts a rebuild unless one is running; returns at once, progress via `progress`.
   * Concurrent calls share one start: two would drop and create the same shadow tables.
   */
  async startRebuild(): Promise<RebuildProgress> {
    if (this.activeRebuildId) return this.lastProgress;
    this.starting ??= this.beginRebuild().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async beginRebuild(): Promise<RebuildProgress> {
    if (!(await this.acquireRebuildLock())) throw new RebuildRunningElsewhereError(this.projection.name);
    const shadow = this.tablesFor(SHADOW);
    const rebuildId = randomUUID();
    const total = await this.totalEvents();
    await this.pool.query(`DROP TABLE IF EXISTS ${shadow.documents}, ${shadow.inbox}`);
    await this.pool.query([projectionTableDdl(this.projection, shadow.documents, false), inboxDdl(shadow.inbox)].join('\n'));
    await this.pool.query(`DELETE FROM consumer_checkpoints WHERE consumer = $1`, [this.rebuildName]);
    // Parked events of an earlier rebuild must not block keys in this one.
    await this.pool.query(`DELETE FROM parked_events WHERE consumer = $1`, [this.rebuildName]);
    await this.pool.query(
      `INSERT INTO projection_rebuilds (projection, rebuild_id, status, total) VALUES ($1,$2,'running',$3)
       ON CONFLICT (projection) DO UPDATE SET rebuild_id = $2, status = 'running', total = $3,
         started_at = now(), finished_at = NULL`,
      [this.projection.name, rebuildId, total]);
    // Not the previous rebuild's "completed": pollers must see this one start.
    this.lastProgress = computeProgress({ projection: this.projection.name, status: 'running', processed: 0, total, nowMs: Date.now() });
    await this.runRebuild(rebuildId);
    return this.lastProgress;
  }

  private get rebuildName() {
    return `${this.projection.name}${SHADOW}`;
  }

  private consumer(suffix: string, groupId: string, mode: 'live' | 'rebuild'): ConsumerRunner {
    const tables = this.tablesFor(suffix);
    return new ConsumerRunner(this.pool, this.transport, new DocumentProjectionHandler(this.projection), {
      name: mode === 'live' ? this.projection.name : this.rebuildName,
      groupId,
      topics: this.projection.topics,
      inboxTable: tables.inbox,
      tables,
      mode,
      fromBeginning: true,
      swapLockKey: mode === 'live' ? this.swapLockKey : undefined,
      // A rebuild has the whole log to read: let partitions overlap their database work.
      partitionsConcurrently: mode === 'rebuild' ? 3 : 1,
      maxBytesPerPartition: this.options.maxBytesPerPartition,
      deadLetterTopic: mode === 'live' ? this.options.deadLetterTopic : undefined,
    }, this.options.upcasters, this.options.logger);
  }

  private rebuildGroup(rebuildId: string) {
    return `${this.options.groupPrefix}.${this.projection.name}.rebuild.${rebuildId}`;
  }

  private async runRebuild(rebuildId: string): Promise<void> {
    this.stopping = false;
    this.activeRebuildId = rebuildId;
    this.rebuild = this.consumer(SHADOW, this.rebuildGroup(rebuildId), 'rebuild');
    await this.rebuild.start();
    this.monitor = this.watchUntilSwapped(rebuildId);
  }

  private async watchUntilSwapped(rebuildId: string): Promise<void> {
    const sample = { previous: undefined as { processed: number; atMs: number } | undefined, lastLog: 0 };
    while (!this.stopping) {
      try {
        if (await this.watchOnce(rebuildId, sample)) return;
      } catch (error) {
        // A failed sample (database or broker hiccup) must neither crash the process nor end the rebuild.
        this.options.logger?.warn({ err: error, projection: this.projection.name }, 'rebuild monitor failed; retrying');
      }
      await sleep(200);
    }
  }

  /** One progress sample; swaps when caught up. True once the rebuild is swapped in. */
  private async watchOnce(rebuildId: string, sample: { previous?: { processed: number; atMs: number }; lastLog: number }): Promise<boolean> {
    // One read of the checkpoints feeds both the progress figures and the caught-up test, so the
    // figures reported at the swap are the ones that made the rebuild count as caught up.
    const checkpoints = await this.rebuildCheckpoints();
    const processed = checkpoints.reduce((sum, c) => sum + c.offset + 1, 0);
    const { rows } = await this.pool.query('SELECT total FROM projection_rebuilds WHERE projection = $1', [this.projection.name]);
    const total = Math.max(Number(rows[0]?.total ?? 0), processed);
    const now = Date.now();
    this.lastProgress = computeProgress({ projection: this.projection.name, status: 'running', processed, total, previous: sample.previous, nowMs: now });
    sample.previous = { processed, atMs: now };
    rebuildProgressRatio().set({ projection: this.projection.name }, this.lastProgress.percent / 100);
    rebuildEventsPerSecond().set({ projection: this.projection.name }, this.lastProgress.eventsPerSecond);
    this.options.onProgress?.(this.lastProgress);
    if (now - sample.lastLog > 2000) {
      sample.lastLog = now;
      this.options.logger?.info({ rebuild: this.lastProgress }, 'projection rebuild progress');
    }
    if (!(await this.caughtUp(checkpoints))) return false;
    await this.indexShadow();
    // Stop the replay first: no batch of it may run against tables that the swap renames.
    await this.rebuild?.stop();
    this.rebuild = undefined;
    if (!(await this.trySwap(rebuildId))) {
      this.rebuild = this.consumer(SHADOW, this.rebuildGroup(rebuildId), 'rebuild');
      await this.rebuild.start();
      return false;
    }
    this.lastProgress = { ...this.lastProgress, status: 'completed', percent: 100, etaSeconds: 0 };
    this.options.logger?.info({ rebuild: this.lastProgress }, 'projection rebuild swapped in');
    await this.transport.deleteGroup(this.rebuildGroup(rebuildId));
    this.activeRebuildId = undefined;
    this.releaseRebuildLock();
    return true;
  }

  private async totalEvents(): Promise<number> {
    let total = 0;
    for (const topic of this.projection.topics) {
      for (const p of await this.transport.endOffsets(topic)) total += Number(p.offset);
    }
    return total;
  }

  private async rebuildCheckpoints(): Promise<{ key: string; offset: number }[]> {
    const { rows } = await this.pool.query(
      `SELECT topic, partition, "offset" FROM consumer_checkpoints WHERE consumer = $1`, [this.rebuildName]);
    return rows.map((r) => ({ key: `${r.topic}/${r.partition}`, offset: Number(r.offset) }));
  }

  /** Builds the shadow table's secondary indexes in bulk, once the replay has caught up. */
  private async indexShadow(): Promise<void> {
    await this.pool.query(projectionIndexesDdl(this.projection, this.tablesFor(SHADOW).documents));
  }

  /** Caught up when the rebuild has read every partition to its current end. */
  private async caughtUp(checkpoints: { key: string; offset: number }[]): Promise<boolean> {
    const done = new Map(checkpoints.map((c) => [c.key, c.offset]));
    for (const topic of this.projection.topics) {
      for (const p of await this.transport.endOffsets(topic)) {
        if (Number(p.offset) > 0 && (done.get(`${topic}/${p.partition}`) ?? -1) < Number(p.offset) - 1) return false;
      }
    }
    return true;
  }

  /**
   * Swaps shadow and live tables in one transaction, under the lock every live batch takes,
   * and only if the rebuild has seen at least everything the live consumer applied.
   */
  private async trySwap(rebuildId: string): Promise<boolean> {
    const live = this.tablesFor('');
    const shadow = this.tablesFor(SHADOW);
    return inTransaction(this.pool, async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [this.swapLockKey]);
      const { rows: behind } = await tx.query(
        `SELECT 1 FROM consumer_checkpoints l
           LEFT JOIN consumer_checkpoints r ON r.consumer = $2 AND r.topic = l.topic AND r.partition = l.partition
          WHERE l.consumer = $1 AND coalesce(r."offset", -1) < l."offset"`,
        [this.projection.name, this.rebuildName]);
      if (behind.length > 0) return false;
      for (const key of ['documents', 'inbox'] as const) {
        await tx.query(`DROP TABLE ${live[key]}`);
        await tx.query(`ALTER TABLE ${shadow[key]} RENAME TO ${live[key]}`);
        const { rows: indexes } = await tx.query(
          `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1`, [live[key]]);
        for (const { indexname } of indexes) {
          const renamed = indexname.replace(shadow[key], live[key]);
          if (renamed !== indexname) await tx.query(`ALTER INDEX ${indexname} RENAME TO ${renamed}`);
        }
      }
      await tx.query(
        `INSERT INTO consumer_checkpoints (consumer, topic, partition, "offset", last_event_time)
         SELECT $1, topic, partition, "offset", last_event_time FROM consumer_checkpoints WHERE consumer = $2
         ON CONFLICT (consumer, topic, partition) DO UPDATE
           SET "offset" = GREATEST(consumer_checkpoints."offset", EXCLUDED."offset")`,
        [this.projection.name, this.rebuildName]);
      await tx.query('DELETE FROM consumer_checkpoints WHERE consumer = $1', [this.rebuildName]);
      // The replay re-parked whatever still fails, from offset zero up to at least the live
      // consumer's position: its parked set replaces the live one (no duplicates), and those
      // events now block their keys in the live model, replayable there.
      await tx.query('DELETE FROM parked_events WHERE consumer = $1 AND replayed_at IS NULL', [this.projection.name]);
      await tx.query('UPDATE parked_events SET consumer = $1 WHERE consumer = $2 AND replayed_at IS NULL', [this.projection.name, this.rebuildName]);
      await tx.query(
        `UPDATE projection_rebuilds SET status = 'completed', finished_at = now() WHERE projection = $1 AND rebuild_id = $2`,
        [this.projection.name, rebuildId]);
      return true;
    });
  }

  /** For admin endpoints: parked events of the live consumer replayed after a fix. */
  replayParked(key?: string) {
    if (!this.live) throw new Error(`projection ${this.projection.name} is not running`);
    return this.live.replayParked(key);
  }

  /** For admin endpoints: one parked event given up for good; its key flows again. */
  skipParked(eventId: string, reason: string) {
    if (!this.live) throw new Error(`projection ${this.projection.name} is not running`);
    return this.live.skipParked(eventId, reason);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
