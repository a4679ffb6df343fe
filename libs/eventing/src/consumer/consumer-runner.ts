import { EventEnvelope } from '@crm/contracts';
import { Pool, PoolClient } from 'pg';
import { Logger } from 'pino';
import { consumerHandledTotal, consumerLagMessages, logOrderViolationsTotal, projectionLagSeconds } from '../metrics/eventing-metrics';
import { fromKafkaMessage, isAfter, LogPositionOf, logPositionOf } from '../transport/cloud-event-mapping';
import { IncomingBatch, IncomingMessage, Subscription, Transport } from '../transport/transport';
import { UpcasterRegistry } from '../upcasting/upcaster-registry';
import { copyToDeadLetterTopic } from './dead-letter';
import { DecodedMessage, eventIdOf, keyOf } from './decoded-message';
import { DeferredCheckpoints, PartitionOffset } from './deferred-checkpoints';
import { EventHandler, HandlerMode } from './event-handler';
import { inTransaction } from '../store/sql-client';
import { ParkedEvent, ParkedEvents } from './parked-events';
import { isTransient } from './transient-error';
import { LateFirstCopy, LogOrderWatch } from './log-order-watch';
import { traceBatch } from '../tracing/tracing';

export interface ConsumerRunnerOptions {
  /** Consumer name: key of its checkpoints and parked events. */
  name: string;
  groupId: string;
  topics: string[];
  inboxTable: string;
  tables?: Record<string, string>;
  mode?: HandlerMode;
  fromBeginning?: boolean;
  maxAttempts?: number;
  backoffMs?: number;
  partitionsConcurrently?: number;
  maxBytesPerPartition?: number;
  /** Serialises with a rebuild's table swap (shared here, exclusive there). */
  swapLockKey?: string;
  /** Parked events are also copied here after their transaction commits (see `deadLetterTopic`). */
  deadLetterTopic?: string;
  /**
   * Live events applied per transaction (default 100); a fetched batch holds up to 8 MiB per
   * partition. One transaction of a whole catch-up batch stayed open for minutes under load:
   * its xid held back the snapshot xmin of the server, so every relay on it stopped publishing
   * (gap-safe read), and without a heartbeat the member outlived its session and was evicted.
   * A rebuild applies whole batches: it runs aside and is measured by its throughput.
   */
  maxEventsPerTransaction?: number;
}

const LIVE_EVENTS_PER_TRANSACTION = 100;
/**
 * How long the checkpoint of a batch the handler had nothing to do with may wait (it is
 * written with the next batch that does something, or by a timer after this long): only lag
 * readings and the "caught up" checks read it, and Kafka's offset has moved already.
 */
const DEFERRED_CHECKPOINT_MS = 1000;

/**
 * Runs a handler on a consumer group with exactly-once effect: handler effects, inbox rows
 * and the checkpoint commit in one PostgreSQL transaction. A failing event is retried with
 * backoff, then parked together with every later event of the same key, while other keys
 * keep flowing; `replayParked` re-applies them in order after a fix.
 */
export class ConsumerRunner {
  private subscription?: Subscription;
  private readonly parkedEvents: ParkedEvents;
  /** Live only: first copies published behind a higher position, which a rebuild would drop. */
  private readonly logOrder = new LogOrderWatch();
  private readonly deferred = new DeferredCheckpoints((offsets) => this.writeOffsets(offsets), DEFERRED_CHECKPOINT_MS, (error) =>
    this.logger?.warn({ err: error, consumer: this.options.name }, 'writing deferred checkpoints failed; retried'));

  constructor(
    private readonly pool: Pool,
    private readonly transport: Transport,
    private readonly handler: EventHandler,
    private readonly options: ConsumerRunnerOptions,
    private readonly upcasters = new UpcasterRegistry(),
    private readonly logger?: Logger,
  ) {
    this.parkedEvents = new ParkedEvents(pool, options.name, logger);
  }

  async start(): Promise<void> {
    if (this.options.deadLetterTopic) await this.transport.ensureTopics([{ topic: this.options.deadLetterTopic, partitions: 1 }]);
    this.subscription = await this.transport.subscribe({
      groupId: this.options.groupId,
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
      partitionsConcurrently: this.options.partitionsConcurrently,
      maxBytesPerPartition: this.options.maxBytesPerPartition,
      eachBatch: (batch, control) => this.onBatch(batch, control.resolveOffset, control.heartbeat),
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    await this.deferred.flush();
    this.subscription = undefined;
  }

  private async onBatch(batch: IncomingBatch, resolveOffset: (o: string) => void, heartbeat: () => Promise<void>) {
    const decoded = batch.messages.map((m) => this.decode(m));
    const last = batch.messages[batch.messages.length - 1];
    if (last && this.options.mode !== 'rebuild' && !decoded.some((d) => this.relevant(d))) {
      // Nothing here for the handler: no transaction; the checkpoint follows later (see DEFERRED_CHECKPOINT_MS).
      this.deferred.add({ topic: batch.topic, partition: batch.partition, offset: last.offset });
      resolveOffset(last.offset);
      this.recordLag(batch, last);
      return;
    }
    const size = this.options.mode === 'rebuild' ? decoded.length : this.options.maxEventsPerTransaction ?? LIVE_EVENTS_PER_TRANSACTION;
    for (let start = 0; start < decoded.length; start += size) {
      const chunk = decoded.slice(start, start + size);
      await this.applyChunk(chunk, heartbeat);
      // Done and committed: its offset may be committed too, and the member stays in its group.
      resolveOffset(chunk[chunk.length - 1].message.offset);
      if (start + size < decoded.length) await heartbeat();
    }
    if (last) this.recordLag(batch, last);
  }

  private recordLag(batch: IncomingBatch, last: IncomingMessage): void {
    // A rebuild reports through its own progress metrics: lag series under its temporary
    // name would outlive it and keep a lag alert firing.
    if (this.options.mode === 'rebuild') return;
    consumerLagMessages().set({ consumer: this.options.name, topic: batch.topic, partition: String(batch.partition) },
      Math.max(0, Number(batch.highWatermark) - Number(last.offset) - 1));
  }

  /** Undecodable messages always count: they are parked. A rebuild applies everything, as it always did. */
  private relevant(item: DecodedMessage): boolean {
    if (item.error || !this.handler.relevant || this.options.mode === 'rebuild') return true;
    return this.handler.relevant(item.event!);
  }

  /** One transaction for the chunk; when it fails, event by event (retried, then parked). */
  private async applyChunk(chunk: DecodedMessage[], heartbeat: () => Promise<void>): Promise<void> {
    try {
      await this.applyInTransaction(chunk, undefined, heartbeat);
    } catch (error) {
      this.logger?.warn({ err: error, consumer: this.options.name }, 'batch failed; retrying event by event');
      for (const item of chunk) {
        await this.applyWithRetries(item, heartbeat);
        await heartbeat();
      }
    }
  }

  private decode(message: IncomingMessage): DecodedMessage {
    try {
      return { message, event: this.upcasters.upcast(fromKafkaMessage(message)) };
    } catch (error: any) {
      return { message, error: `undecodable message: ${error?.message ?? error}` };
    }
  }

  private async applyWithRetries(item: DecodedMessage, heartbeat?: () => Promise<void>): Promise<void> {
    const attempts = this.options.maxAttempts ?? 3;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attempts && !item.error; attempt++) {
      try {
        await this.applyInTransaction([item], undefined, heartbeat);
        return;
      } catch (error) {
        lastError = error;
        await sleep((this.options.backoffMs ?? 100) * 2 ** (attempt - 1));
      }
    }
    // A database that is failing over, deadlocked or out of connections is not a poison
    // event: fail the batch so Kafka redelivers it, instead of blocking the customer's key.
    if (!item.error && isTransient(lastError)) throw lastError;
    const reason = item.error ?? String((lastError as any)?.stack ?? lastError);
    await this.applyInTransaction([item], reason);
  }

  /**
   * One transaction: repeats of what this consumer applied drop out (by log position, see
   * `dropRepeats`); events of keys that are already parked are parked behind them; the rest
   * pass the inbox where needed (duplicates drop out) and reach the handler; the checkpoint
   * moves. With `parkReason` set, the given events are parked instead of handled.
   */
  private async applyInTransaction(items: DecodedMessage[], parkReason: string | undefined, heartbeat?: () => Promise<void>): Promise<void> {
    if (items.length === 0) return;
    const parked: ParkedEvent[] = [];
    let late: LateFirstCopy[] = [];
    await inTransaction(this.pool, async (tx) => {
      const applied = await this.holdOffSwapAndReadApplied(tx, items[0].message);
      const { fresh, applied: appliedNow } = this.dropRepeats(items, applied);
      // What the handler would ignore takes no inbox row and no parking (the checkpoint below still covers it).
      const unseen = fresh.filter((item) => parkReason !== undefined || this.relevant(item));
      const blockers = await this.parkedEvents.blockedKeys(tx, unseen);
      const toHandle: DecodedMessage[] = [];
      for (const item of unseen) {
        const key = keyOf(item);
        if (parkReason !== undefined || item.error) {
          parked.push(await this.parkedEvents.park(tx, item, parkReason ?? item.error!, null));
          blockers.set(key, eventIdOf(item));
        } else if (blockers.has(key)) {
          parked.push(await this.parkedEvents.park(tx, item, `blocked by parked event ${blockers.get(key)}`, blockers.get(key)!));
        } else {
          toHandle.push(item);
        }
      }
      const handled = await this.passInbox(tx, toHandle.map((i) => i.event!), new Set(toHandle.filter((i) => i.positioned).map((i) => i.event!)));
      if (this.options.mode !== 'rebuild') late = this.logOrder.lateFirstCopies(items, new Set(handled.map((e) => e.id)));
      if (handled.length > 0) {
        await traceBatch(this.options.name, handled, () => this.handler.handle(handled, { tx, mode: this.options.mode ?? 'live', tables: this.options.tables ?? {}, heartbeat }));
        consumerHandledTotal().inc({ consumer: this.options.name }, handled.length);
      }
      await this.saveCheckpoint(tx, items[items.length - 1], handled[handled.length - 1], appliedNow);
    });
    if (this.options.mode !== 'rebuild') this.reportLogOrder(items, late);
    if (parked.length > 0 && this.options.deadLetterTopic) {
      await copyToDeadLetterTopic({ transport: this.transport, topic: this.options.deadLetterTopic, consumer: this.options.name, parked, logger: this.logger });
    }
  }

  /** After a live batch committed: late first copies are counted and logged (the live model has them; a rebuild would not). */
  private reportLogOrder(items: DecodedMessage[], late: LateFirstCopy[]): void {
    this.logOrder.committed(items);
    for (const copy of late) {
      logOrderViolationsTotal().inc({ consumer: this.options.name, topic: copy.topic });
      this.logger?.error({
        consumer: this.options.name, eventId: copy.eventId, topic: copy.topic, partition: copy.partition, offset: copy.offset,
        position: `${copy.position.transactionId}.${copy.position.globalPosition}`, behind: `${copy.behind.transactionId}.${copy.behind.globalPosition}`,
      }, 'event first published behind a higher log position: a rebuild of this read model from the topic would drop it as a repeat (ADR 31); check with audit rebuild --compare');
    }
  }

  /**
   * The relay publishes a partition in log order and repeats only what it published before a
   * crash, so a message at or below the last position applied on its partition is a repeat
   * (ADR 31). A rebuild advances that position and needs no inbox row for positioned events;
   * the live consumer keeps the inbox and only drops what the rebuild it took over applied.
   * Messages without a position (published before positions were) go through the inbox.
   */
  private dropRepeats(items: DecodedMessage[], applied: LogPositionOf | undefined): { fresh: DecodedMessage[]; applied?: LogPositionOf } {
    const advances = this.options.mode === 'rebuild';
    let last = applied;
    const fresh: DecodedMessage[] = [];
    for (const item of items) {
      const position = logPositionOf(item.message);
      if (position && last && !isAfter(position, last)) continue;
      if (position && advances) {
        last = position;
        item.positioned = true;
      }
      fresh.push(item);
    }
    return { fresh, applied: advances ? last : undefined };
  }
  /** Live batches hold a shared lock that a rebuild's swap takes exclusively. */
  private async holdOffSwap(tx: PoolClient): Promise<void> {
    if (this.options.swapLockKey) await tx.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [this.options.swapLockKey]);
  }

  /**
   * The swap lock (live) or the partition's lock (rebuild), then the last log position applied
   * on the batch's partition. Two statements on purpose: under READ COMMITTED a statement's
   * snapshot is taken when it starts, so a read in the locking statement would miss what the
   * swap (or the partition's previous batch) committed while this one waited for the lock.
   */
  private async holdOffSwapAndReadApplied(tx: PoolClient, m: IncomingMessage): Promise<LogPositionOf | undefined> {
    if (this.options.mode === 'rebuild') {
      // Whatever kafkajs does across a rebalance, one batch of a partition at a time: the
      // position read below is then the one the previous batch wrote.
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${this.options.name}/${m.topic}/${m.partition}`]);
    } else {
      await this.holdOffSwap(tx);
      // A live consumer that no rebuild swaps into never has a position recorded: no read.
      if (!this.options.swapLockKey) return undefined;
    }
    const { rows: [row] } = await tx.query(
      `SELECT applied_transaction_id::text AS transaction_id, applied_position::text AS position FROM consumer_checkpoints
        WHERE consumer = $1 AND topic = $2 AND partition = $3`, [this.options.name, m.topic, m.partition]);
    return row?.transaction_id && row.position ? { transactionId: BigInt(row.transaction_id), globalPosition: BigInt(row.position) } : undefined;
  }

  /** Positioned events of a rebuild are deduplicated by log position and skip the inbox. */
  private async passInbox(tx: PoolClient, events: EventEnvelope[], positioned: ReadonlySet<EventEnvelope> = new Set()): Promise<EventEnvelope[]> {
    const inboxed = events.filter((e) => !positioned.has(e));
    if (inboxed.length === 0) return events;
    const { rows } = await tx.query(
      `INSERT INTO ${this.options.inboxTable} (event_id) SELECT unnest($1::uuid[])
       ON CONFLICT DO NOTHING RETURNING event_id`, [inboxed.map((e) => e.id)]);
    const fresh = new Set(rows.map((r) => r.event_id));
    // A batch can hold the same event twice (producer retry): the first copy wins.
    return events.filter((e) => positioned.has(e) || fresh.delete(e.id));
  }

  private async saveCheckpoint(tx: PoolClient, last: DecodedMessage, lastApplied?: EventEnvelope, applied?: LogPositionOf) {
    const m = last.message;
    await tx.query(
      `INSERT INTO consumer_checkpoints (consumer, topic, partition, "offset", last_event_time, applied_transaction_id, applied_position)
       VALUES ($1,$2,$3,$4,$5,$6,$7)
       ON CONFLICT (consumer, topic, partition) DO UPDATE
         SET "offset" = GREATEST(consumer_checkpoints."offset", EXCLUDED."offset"),
             last_event_time = coalesce(EXCLUDED.last_event_time, consumer_checkpoints.last_event_time),
             applied_transaction_id = coalesce(EXCLUDED.applied_transaction_id, consumer_checkpoints.applied_transaction_id),
             applied_position = coalesce(EXCLUDED.applied_position, consumer_checkpoints.applied_position),
             updated_at = now()`,
      [this.options.name, m.topic, m.partition, m.offset, lastApplied?.time ?? null,
        applied?.transactionId.toString() ?? null, applied?.globalPosition.toString() ?? null]);
    if (lastApplied && this.options.mode !== 'rebuild') {
      projectionLagSeconds().set({ projection: this.options.name }, Math.max(0, (Date.now() - Date.parse(lastApplied.time)) / 1000));
    }
  }

  /** Offsets of batches that needed no transaction: only moved forward (a later batch may have written more). */
  private async writeOffsets(offsets: PartitionOffset[]): Promise<void> {
    await this.pool.query(
      `INSERT INTO consumer_checkpoints (consumer, topic, partition, "offset")
       SELECT $1, t, p, o FROM unnest($2::text[], $3::int[], $4::bigint[]) AS x(t, p, o)
       ON CONFLICT (consumer, topic, partition) DO UPDATE
         SET "offset" = GREATEST(consumer_checkpoints."offset", EXCLUDED."offset"), updated_at = now()`,
      [this.options.name, offsets.map((o) => o.topic), offsets.map((o) => o.partition), offsets.map((o) => o.offset)]);
  }

  /**
   * Gives up on one parked event for good (an operator's decision: the event is wrong, not the
   * code): it is marked skipped and recorded in the inbox, so a redelivery cannot apply it, and
   * the events parked behind it on its key are replayed in order.
   */
  async skipParked(eventId: string, reason: string): Promise<{ skipped: boolean; replayed: number; stillParked: number }> {
    const key = await inTransaction(this.pool, async (tx) => {
      await this.holdOffSwap(tx);
      const skipped = await this.parkedEvents.skip(tx, eventId, reason);
      if (skipped !== undefined) await tx.query(`INSERT INTO ${this.options.inboxTable} (event_id) VALUES ($1) ON CONFLICT DO NOTHING`, [eventId]);
      return skipped;
    });
    if (key === undefined) return { skipped: false, replayed: 0, stillParked: 0 };
    return { skipped: true, ...(await this.replayParked(key)) };
  }

  /**
   * Re-applies this consumer's parked events in the order they were parked, key by key.
   * Stops at a key's first event that still fails (it stays parked with the new error).
   */
  async replayParked(key?: string): Promise<{ replayed: number; stillParked: number }> {
    const rows = await this.parkedEvents.open(key);
    const failedKeys = new Set<string>();
    let replayed = 0;
    for (const row of rows) {
      if (failedKeys.has(row.key)) continue;
      const event = this.upcasters.upcast(row.envelope);
      try {
        await inTransaction(this.pool, async (tx) => {
          await this.holdOffSwap(tx);
          const fresh = await this.passInbox(tx, [event]);
          if (fresh.length > 0) {
            await this.handler.handle(fresh, { tx, mode: this.options.mode ?? 'live', tables: this.options.tables ?? {} });
          }
          await this.parkedEvents.markReplayed(tx, row.id);
        });
        replayed++;
      } catch (error: any) {
        failedKeys.add(row.key);
        await this.parkedEvents.recordError(row.id, String(error?.stack ?? error));
      }
    }
    return { replayed, stillParked: rows.length - replayed };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
