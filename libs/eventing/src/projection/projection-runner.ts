import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { Logger } from 'pino';
import { inboxDdl } from '../consumer/consumer.sql';
import { ConsumerRunner } from '../consumer/consumer-runner';
import { Transport } from '../transport/transport';
import { UpcasterRegistry } from '../upcasting/upcaster-registry';
import { companionTableName, DocumentProjection, projectionIndexesDdl, projectionTableDdl } from './document-projection';
import { DocumentProjectionHandler } from './document-projection-handler';
import { projectionShape, recordedShape, recordShapeSql } from './projection-shape';
import { swapShadowTables } from './projection-swap.sql';
import { RebuildLock } from './rebuild-lock';
import { RebuildMonitor } from './rebuild-monitor';
import { computeProgress, RebuildProgress } from './rebuild-progress';
import { WrittenKeys } from './written-keys';

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
  private monitoring?: Promise<void>;
  private stopping = false;
  private lastProgress: RebuildProgress;
  /** Set from start to swap, including the moment the replay is paused for the swap. */
  private activeRebuildId?: string;
  private starting?: Promise<RebuildProgress>;
  private readonly rebuildLock: RebuildLock;
  private readonly monitor: RebuildMonitor;
  /** The keys the running rebuild wrote, when this process created its shadow tables empty. */
  private shadowKeys?: { rebuildId: string; keys: WrittenKeys };
  /** What this code's tables are made of; recorded on each table it creates. */
  private readonly shape: string;

  constructor(
    private readonly pool: Pool,
    private readonly transport: Transport,
    private readonly projection: DocumentProjection,
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.lastProgress = computeProgress({ projection: projection.name, status: 'idle', processed: 0, total: 0, nowMs: 0 });
    this.rebuildLock = new RebuildLock(pool, projection.name, options.logger);
    this.monitor = new RebuildMonitor(pool, transport, projection, this.rebuildName, options.logger);
    this.shape = projectionShape(projection);
  }

  private get swapLockKey() {
    return `projection-swap:${this.projection.name}`;
  }

  private get rebuildName() {
    return `${this.projection.name}${SHADOW}`;
  }

  /** The documents, the inbox and each companion table, live (suffix '') or shadow. */
  private tablesFor(suffix: string): Record<string, string> & { documents: string; inbox: string } {
    const documents = `${this.projection.table}${suffix}`;
    return { documents, inbox: `${documents}_inbox`,
      ...Object.fromEntries((this.projection.companions ?? []).map((c) => [c.name, companionTableName(documents, c.name)])) };
  }

  /**
   * Creates the projection's live tables when missing (the eventing tables come from
   * migrations). True when the live table exists with another shape than this code declares:
   * CREATE TABLE IF NOT EXISTS would keep its old columns, so it has to be rebuilt.
   */
  async install(): Promise<boolean> {
    const live = this.tablesFor('');
    const recorded = await recordedShape(this.pool, live.documents);
    if (recorded === undefined) {
      await this.pool.query([projectionTableDdl(this.projection, live.documents), inboxDdl(live.inbox),
        recordShapeSql(live.documents, this.shape)].join('\n'));
      return false;
    }
    // A live table of another shape keeps answering until its rebuild swaps in; companion
    // tables it lacks are made now (empty), so the live consumer can keep them meanwhile.
    await this.pool.query([inboxDdl(live.inbox), projectionTableDdl(this.projection, live.documents)].join('\n'));
    return recorded !== this.shape;
  }

  async start(): Promise<void> {
    const stale = await this.install();
    this.live = this.consumer('', `${this.options.groupPrefix}.${this.projection.name}`, 'live');
    await this.live.start();
    const { rows } = await this.pool.query(
      `SELECT rebuild_id FROM projection_rebuilds WHERE projection = $1 AND status = 'running'`, [this.projection.name]);
    if (rows[0] && await this.rebuildLock.acquire()) {
      const shadowShape = await recordedShape(this.pool, this.tablesFor(SHADOW).documents);
      if (shadowShape === this.shape) {
        this.options.logger?.info({ projection: this.projection.name }, 'resuming an interrupted rebuild');
        await this.runRebuild(rows[0].rebuild_id);
      } else {
        // Recorded as running but its tables are gone, or were made for another shape: start it over.
        this.options.logger?.warn({ projection: this.projection.name, shadowTables: shadowShape === undefined ? 'missing' : 'other shape' },
          'interrupted rebuild cannot be resumed; starting it over');
        await this.beginRebuild();
      }
    }
    if (stale && !this.activeRebuildId) {
      // The live table keeps answering (and its consumer keeps writing documents) until the
      // rebuilt one, made for this shape, is swapped in.
      this.options.logger?.warn({ projection: this.projection.name }, 'live tables were made for another shape of this projection; rebuilding');
      await this.startRebuild().catch((error) => {
        if (!(error instanceof RebuildRunningElsewhereError)) throw error;
      });
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.monitoring;
    await Promise.all([this.rebuild?.stop(), this.live?.stop()]);
    this.activeRebuildId = undefined;
    // Another replica may carry the rebuild on meanwhile: a resume here looks every key up.
    this.shadowKeys = undefined;
    this.rebuildLock.release();
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
    return (await this.monitor.recorded()) ?? this.lastProgress;
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
    if (!(await this.rebuildLock.acquire())) throw new RebuildRunningElsewhereError(this.projection.name);
    const shadow = this.tablesFor(SHADOW);
    const rebuildId = randomUUID();
    const total = await this.monitor.totalEvents();
    await this.pool.query(`DROP TABLE IF EXISTS ${Object.values(shadow).join(', ')}`);
    await this.pool.query([projectionTableDdl(this.projection, shadow.documents, false), inboxDdl(shadow.inbox),
      recordShapeSql(shadow.documents, this.shape)].join('\n'));
    await this.pool.query(`DELETE FROM consumer_checkpoints WHERE consumer = $1`, [this.rebuildName]);
    // Parked events of an earlier rebuild must not block keys in this one.
    await this.pool.query(`DELETE FROM parked_events WHERE consumer = $1`, [this.rebuildName]);
    await this.pool.query(
      `INSERT INTO projection_rebuilds (projection, rebuild_id, status, total) VALUES ($1,$2,'running',$3)
       ON CONFLICT (projection) DO UPDATE SET rebuild_id = $2, status = 'running', total = $3,
         started_at = now(), finished_at = NULL`,
      [this.projection.name, rebuildId, total]);
    this.shadowKeys = { rebuildId, keys: new WrittenKeys() };
    // Not the previous rebuild's "completed": pollers must see this one start.
    this.lastProgress = computeProgress({ projection: this.projection.name, status: 'running', processed: 0, total, nowMs: Date.now() });
    await this.runRebuild(rebuildId);
    return this.lastProgress;
  }

  /**
   * Replays from offset zero into tables beside the live ones (`suffix`), with the consumer a
   * rebuild uses, under its own consumer name: how `rebuildAside` (audit --compare, what-if)
   * rebuilds the way a real rebuild does, without a swap.
   */
  replayInto(suffix: string, groupId: string): ConsumerRunner {
    return this.consumer(suffix, groupId, 'rebuild', `${this.projection.name}${suffix}`);
  }

  /** The live and shadow table names for a suffix ('' is live). */
  tables(suffix = ''): { documents: string; inbox: string } {
    return this.tablesFor(suffix);
  }

  private consumer(suffix: string, groupId: string, mode: 'live' | 'rebuild', name?: string, written?: WrittenKeys): ConsumerRunner {
    const tables = this.tablesFor(suffix);
    return new ConsumerRunner(this.pool, this.transport, new DocumentProjectionHandler(this.projection, written), {
      name: name ?? (mode === 'live' ? this.projection.name : this.rebuildName),
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

  /** The rebuild's consumer; with the keys it wrote when this process made its tables empty (not on a resume). */
  private rebuildConsumer(rebuildId: string): ConsumerRunner {
    const written = this.shadowKeys?.rebuildId === rebuildId ? this.shadowKeys.keys : undefined;
    return this.consumer(SHADOW, this.rebuildGroup(rebuildId), 'rebuild', undefined, written);
  }

  private rebuildGroup(rebuildId: string) {
    return `${this.options.groupPrefix}.${this.projection.name}.rebuild.${rebuildId}`;
  }

  private async runRebuild(rebuildId: string): Promise<void> {
    this.stopping = false;
    this.activeRebuildId = rebuildId;
    this.rebuild = this.rebuildConsumer(rebuildId);
    await this.rebuild.start();
    this.monitoring = this.monitor.watch({
      stopped: () => this.stopping,
      report: (progress) => {
        this.lastProgress = progress;
        this.options.onProgress?.(progress);
      },
      swap: () => this.swapIn(rebuildId),
    });
  }

  /** Once caught up: index the shadow tables, pause the replay, swap. True once swapped in. */
  private async swapIn(rebuildId: string): Promise<boolean> {
    // Secondary indexes in bulk, once the rows are in.
    await this.pool.query(projectionIndexesDdl(this.projection, this.tablesFor(SHADOW).documents));
    // Stop the replay first: no batch of it may run against tables that the swap renames.
    await this.rebuild?.stop();
    this.rebuild = undefined;
    const swapped = await swapShadowTables({
      pool: this.pool, projection: this.projection.name, rebuildId, swapLockKey: this.swapLockKey,
      live: this.tablesFor(''), shadow: this.tablesFor(SHADOW), liveConsumer: this.projection.name, rebuildConsumer: this.rebuildName,
    });
    if (!swapped) {
      this.rebuild = this.rebuildConsumer(rebuildId);
      await this.rebuild.start();
      return false;
    }
    this.lastProgress = { ...this.lastProgress, status: 'completed', percent: 100, etaSeconds: 0 };
    this.options.logger?.info({ rebuild: this.lastProgress }, 'projection rebuild swapped in');
    await this.transport.deleteGroup(this.rebuildGroup(rebuildId));
    this.activeRebuildId = undefined;
    this.shadowKeys = undefined;
    this.rebuildLock.release();
    return true;
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
