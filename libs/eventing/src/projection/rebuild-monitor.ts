import { Pool } from 'pg';
import { Logger } from 'pino';
import { rebuildEventsPerSecond, rebuildProgressRatio } from '../metrics/eventing-metrics';
import { Transport } from '../transport/transport';
import { DocumentProjection } from './document-projection';
import { computeProgress, RebuildProgress } from './rebuild-progress';

type Checkpoint = { key: string; offset: number };

/**
 * A rebuild's progress, read from its consumer's checkpoints against the topics' end offsets:
 * sampled while it runs (metrics, logs), and as the database records it for any replica.
 */
export class RebuildMonitor {
  constructor(
    private readonly pool: Pool,
    private readonly transport: Transport,
    private readonly projection: DocumentProjection,
    /** The rebuild consumer's name: the key of its checkpoints. */
    private readonly consumer: string,
    private readonly logger?: Logger,
  ) {}

  /** Every event on the projection's topics now: what a rebuild starting now has to read. */
  async totalEvents(): Promise<number> {
    let total = 0;
    for (const topic of this.projection.topics) {
      for (const p of await this.transport.endOffsets(topic)) total += Number(p.offset);
    }
    return total;
  }

  /** What the database records: the running rebuild (on any replica) or the last completed one. */
  async recorded(): Promise<RebuildProgress | undefined> {
    const { rows: [row] } = await this.pool.query('SELECT status, total FROM projection_rebuilds WHERE projection = $1', [this.projection.name]);
    if (!row) return undefined;
    const total = Number(row.total);
    const processed = row.status === 'completed' ? total : processedBy(await this.checkpoints());
    return computeProgress({ projection: this.projection.name, status: row.status, processed, total: Math.max(total, processed), nowMs: Date.now() });
  }

  /**
   * Samples every 200 ms until `stopped()`, reporting each sample; whenever the rebuild has
   * read every partition to its end, asks `swap`, and returns once that swapped it in.
   */
  async watch(hooks: { stopped: () => boolean; report: (p: RebuildProgress) => void; swap: () => Promise<boolean> }): Promise<void> {
    const sample = { previous: undefined as { processed: number; atMs: number } | undefined, lastLog: 0 };
    while (!hooks.stopped()) {
      try {
        // One read of the checkpoints feeds both the progress figures and the caught-up test, so
        // the figures reported at the swap are the ones that made the rebuild count as caught up.
        const checkpoints = await this.checkpoints();
        hooks.report(await this.sample(checkpoints, sample));
        if (await this.caughtUp(checkpoints) && await hooks.swap()) return;
      } catch (error) {
        // A failed sample (database or broker hiccup) must neither crash the process nor end the rebuild.
        this.logger?.warn({ err: error, projection: this.projection.name }, 'rebuild monitor failed; retrying');
      }
      await sleep(200);
    }
  }

  private async sample(checkpoints: Checkpoint[], sample: { previous?: { processed: number; atMs: number }; lastLog: number }): Promise<RebuildProgress> {
    const processed = processedBy(checkpoints);
    const { rows } = await this.pool.query('SELECT total FROM projection_rebuilds WHERE projection = $1', [this.projection.name]);
    const total = Math.max(Number(rows[0]?.total ?? 0), processed);
    const now = Date.now();
    const progress = computeProgress({ projection: this.projection.name, status: 'running', processed, total, previous: sample.previous, nowMs: now });
    sample.previous = { processed, atMs: now };
    rebuildProgressRatio().set({ projection: this.projection.name }, progress.percent / 100);
    rebuildEventsPerSecond().set({ projection: this.projection.name }, progress.eventsPerSecond);
    if (now - sample.lastLog > 2000) {
      sample.lastLog = now;
      this.logger?.info({ rebuild: progress }, 'projection rebuild progress');
    }
    return progress;
  }

  async checkpoints(): Promise<Checkpoint[]> {
    const { rows } = await this.pool.query(
      `SELECT topic, partition, "offset" FROM consumer_checkpoints WHERE consumer = $1`, [this.consumer]);
    return rows.map((r) => ({ key: `${r.topic}/${r.partition}`, offset: Number(r.offset) }));
  }

  /** Caught up when the rebuild has read every partition to its current end. */
  async caughtUp(checkpoints: Checkpoint[]): Promise<boolean> {
    const done = new Map(checkpoints.map((c) => [c.key, c.offset]));
    for (const topic of this.projection.topics) {
      for (const p of await this.transport.endOffsets(topic)) {
        if (Number(p.offset) > 0 && (done.get(`${topic}/${p.partition}`) ?? -1) < Number(p.offset) - 1) return false;
      }
    }
    return true;
  }
}

function processedBy(checkpoints: Checkpoint[]): number {
  return checkpoints.reduce((sum, c) => sum + c.offset + 1, 0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
