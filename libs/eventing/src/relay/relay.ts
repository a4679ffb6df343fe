import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { Logger } from 'pino';
import { oldestOpenTransactionSeconds, relayLagEvents, relayPublishedTotal, watchRelayHealth } from '../metrics/eventing-metrics';
import { PostgresEventStore } from '../store/postgres-event-store';
import { LogPosition, RecordedEvent } from '../store/event-store.types';
import { toKafkaMessage } from '../transport/cloud-event-mapping';
import { Transport } from '../transport/transport';
import { RelayLeadership } from './relay-leadership';
import { tracePublish } from '../tracing/tracing';
import { AppendWakeup } from './append-wakeup';

export interface RelayOptions {
  name: string;
  topic: string;
  source: string;
  /** Namespace of the CloudEvents `type` (reverse-DNS, e.g. com.example.crm.receivables); bare event types without. */
  typePrefix?: string;
  batchSize?: number;
  /** Poll interval when idle: a fallback, as commits that append wake the relay at once (default 250 ms). */
  idlePollMs?: number;
  leaseMs?: number;
  /** Warn when an open transaction older than this holds the relay back. */
  oldTransactionWarnSeconds?: number;
  /**
   * A relay that has neither published nor found nothing left to publish for this long is
   * stalled (health and metrics say so). Default 60 s.
   */
  stallAfterMs?: number;
  /** Test seam: runs after the broker acked a batch and before its checkpoint is written. */
  afterPublish?: (events: RecordedEvent[]) => Promise<void>;
}

/**
 * What a relay is doing, for health checks and metrics. `stalled`: this replica's relay is
 * trying to publish (it is not a standby) and has gone `stallAfterMs` without publishing a
 * batch or finding the log caught up, e.g. a broker it cannot reach while events wait.
 */
export interface RelayHealth {
  state: 'stopped' | 'standby' | 'publishing' | 'stalled';
  stalled: boolean;
  /** Since the last published batch or caught-up read; 0 when stopped or standing by. */
  secondsWithoutProgress: number;
  stallAfterSeconds: number;
}

/** Publishes committed events from the events table (the outbox) to Kafka, in commit order. */
export class Relay {
  private running = false;
  private loop?: Promise<void>;
  private readonly leadership: RelayLeadership;
  private wakeup: AppendWakeup;
  private lastHealthCheck = 0;
  /** When the relay last published, found nothing to publish, or stood by for another holder. */
  private progressAt = Date.now();
  private standingBy = false;
  private reportedStall = false;
  private unwatchHealth?: () => void;

  constructor(
    private readonly pool: Pool,
    private readonly store: PostgresEventStore,
    private readonly transport: Transport,
    private readonly options: RelayOptions,
    private readonly logger?: Logger,
  ) {
    this.leadership = new RelayLeadership(pool, options.name, `${process.pid}-${randomUUID()}`, options.leaseMs ?? 10000);
    this.wakeup = new AppendWakeup(pool, logger);
  }

  get isLeader(): boolean {
    return this.leadership.isLeader;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.progressAt = Date.now();
    this.standingBy = false;
    this.wakeup = new AppendWakeup(this.pool, this.logger);
    this.unwatchHealth = watchRelayHealth(() => ({ topic: this.options.topic, ...this.health() }));
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.wakeup.close();
    await this.loop;
    await this.leadership.release();
    this.unwatchHealth?.();
  }

  health(now = Date.now()): RelayHealth {
    const stallAfterSeconds = (this.options.stallAfterMs ?? 60_000) / 1000;
    if (!this.running) return { state: 'stopped', stalled: false, secondsWithoutProgress: 0, stallAfterSeconds };
    if (this.standingBy) return { state: 'standby', stalled: false, secondsWithoutProgress: 0, stallAfterSeconds };
    const secondsWithoutProgress = Math.max(0, (now - this.progressAt) / 1000);
    const stalled = secondsWithoutProgress > stallAfterSeconds;
    return { state: stalled ? 'stalled' : 'publishing', stalled, secondsWithoutProgress, stallAfterSeconds };
  }

  private madeProgress(standingBy: boolean): void {
    this.progressAt = Date.now();
    this.standingBy = standingBy;
    if (this.reportedStall) {
      this.reportedStall = false;
      this.logger?.warn({ relay: this.options.name }, standingBy ? 'relay no longer stalled: another replica holds the relay lock' : 'relay recovered: publishing again');
    }
  }

  private async run(): Promise<void> {
    const idlePollMs = this.options.idlePollMs ?? 250;
    // A commit was notified but its events were not publishable yet: an older transaction,
    // anywhere in the cluster, still holds the snapshot's xmin. Look again shortly (for at
    // most one poll interval) instead of sleeping until the next poll.
    let notifiedAt: number | undefined;
    while (this.running) {
      try {
        if (!(await this.leadership.tryAcquire())) {
          this.madeProgress(true);
          await sleep((this.options.leaseMs ?? 10000) / 4);
          continue;
        }
        this.standingBy = false;
        const published = await this.publishOnce();
        this.madeProgress(false);
        if (published > 0) {
          notifiedAt = undefined;
        } else {
          const retrying = notifiedAt !== undefined && Date.now() - notifiedAt < idlePollMs;
          if (await this.wakeup.wait(retrying ? HELD_BACK_RETRY_MS : idlePollMs)) notifiedAt = Date.now();
          else if (!retrying) notifiedAt = undefined;
        }
      } catch (error) {
        this.logger?.error({ err: error, relay: this.options.name }, 'relay cycle failed; retrying');
        const health = this.health();
        if (health.stalled && !this.reportedStall) {
          this.reportedStall = true;
          this.logger?.error({ relay: this.options.name, secondsWithoutProgress: Math.round(health.secondsWithoutProgress) },
            'relay stalled: nothing published for longer than the stall limit while events wait');
        }
        this.leadership.lose();
        await sleep(500);
      }
    }
  }

  /** One cycle: read a batch after the checkpoint, publish, wait for acks, then checkpoint. */
  async publishOnce(): Promise<number> {
    const checkpoint = await this.readCheckpoint();
    const events = await this.store.readAll(checkpoint, this.options.batchSize ?? 500);
    await this.observeHealth(checkpoint);
    if (events.length === 0) {
      await this.saveCheckpoint(checkpoint);
      return 0;
    }
    await tracePublish(this.options.topic, events, () => this.transport.publish(this.options.topic, events.map((e) => toKafkaMessage(e, this.options.source, this.options.typePrefix))));
    await this.options.afterPublish?.(events);
    const last = events[events.length - 1];
    await this.saveCheckpoint({ transactionId: last.transactionId, globalPosition: last.globalPosition });
    relayPublishedTotal().inc({ topic: this.options.topic }, events.length);
    return events.length;
  }

  private async readCheckpoint(): Promise<LogPosition> {
    const { rows } = await this.pool.query(
      'SELECT transaction_id::text AS t, global_position::text AS g FROM relay_checkpoints WHERE name = $1',
      [this.options.name]);
    return rows[0] ? { transactionId: rows[0].t, globalPosition: rows[0].g } : { transactionId: '0', globalPosition: '0' };
  }

  private async saveCheckpoint(position: LogPosition): Promise<void> {
    const { rowCount } = await this.pool.query(
      `UPDATE relay_checkpoints
          SET transaction_id = $2::xid8, global_position = $3, updated_at = now(),
              lease_until = now() + $5 * interval '1 millisecond'
        WHERE name = $1 AND holder = $4`,
      [this.options.name, position.transactionId, position.globalPosition, this.leadership.holderId,
        this.options.leaseMs ?? 10000]);
    if (rowCount === 0) {
      this.leadership.lose();
      throw new Error(`relay ${this.options.name} lost its lease to another holder`);
    }
  }

  /**
   * Lag and old-transaction checks, at most once a second (they scan more than a cycle).
   * Open transactions of every database count: the snapshot xmin that holds readers back is
   * server-wide.
   */
  private async observeHealth(checkpoint: LogPosition): Promise<void> {
    if (Date.now() - this.lastHealthCheck < 1000) return;
    this.lastHealthCheck = Date.now();
    const { rows } = await this.pool.query(
      `SELECT (SELECT count(*) FROM events
                WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)) AS lag,
              (SELECT coalesce(extract(epoch FROM max(clock_timestamp() - xact_start)), 0)
                 FROM pg_stat_activity
                WHERE backend_xid IS NOT NULL) AS oldest`,
      [checkpoint.transactionId, checkpoint.globalPosition]);
    relayLagEvents().set({ topic: this.options.topic }, Number(rows[0].lag));
    const oldest = Number(rows[0].oldest);
    oldestOpenTransactionSeconds().set(oldest);
    if (oldest > (this.options.oldTransactionWarnSeconds ?? 30)) {
      this.logger?.warn({ relay: this.options.name, oldestOpenTransactionSeconds: oldest, holder: await this.oldestTransaction() },
        'an open transaction is holding the relay back');
    }
  }

  /**
   * Who holds the oldest open transaction (any database of the server): what an operator needs
   * to find it. Statements are parameterised, so the query text carries no values; a role
   * without pg_read_all_stats sees "<insufficient privilege>" for other roles' backends.
   */
  private async oldestTransaction(): Promise<Record<string, unknown> | undefined> {
    const { rows } = await this.pool.query(
      `SELECT pid, datname AS database, application_name AS application, state, left(query, 160) AS query
         FROM pg_stat_activity WHERE backend_xid IS NOT NULL ORDER BY xact_start LIMIT 1`);
    return rows[0];
  }
}

const HELD_BACK_RETRY_MS = 20;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
