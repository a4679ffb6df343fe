import { createHash, randomUUID } from 'node:crypto';
import { Decider, EventMetadata } from '@crm/contracts';
import { PoolClient } from 'pg';
import { Logger } from 'pino';
import { IdempotencyKeyReusedError, UniqueLookupTakenError, WrongExpectedVersionError } from '../store/event-store.errors';
import { StreamIndex } from '../store/event-store.types';
import { PostgresEventStore } from '../store/postgres-event-store';
import { Queryable } from '../store/sql-client';
import { writeSchedule } from './command-support.sql';
import { SnapshotStore } from './snapshot-store';
import { KeyedMutex } from './keyed-mutex';
import { CachedState, StreamStateCache, VersionedState } from './stream-state-cache';
import { withActiveTrace } from '../tracing/tracing';

/** What a decider returns: a fact without identity or position yet. */
export interface DomainEvent {
  type: string;
  schemaVersion: number;
  data: any;
}

export interface CommandHandlerOptions<S, C, E extends DomainEvent> {
  /** Kind of stream this handler owns (e.g. `receivables-account`): names its snapshots. */
  name: string;
  decider: Decider<S, C, E>;
  /**
   * Snapshots need a JSON-serialisable state. Bump `schemaVersion` whenever `evolve` or the
   * state's shape changes: older snapshots are then ignored and replaced.
   */
  snapshots?: { schemaVersion: number; everyEvents?: number };
  /** Streams whose folded state this process keeps (most recently used first). */
  cacheSize?: number;
  /** ...and at most this many events folded into them in all (memory grows with events). */
  cacheEvents?: number;
  /** Ids a new event makes this stream the owner of (see `ownerOf`). */
  lookups?: (event: E) => Array<{ kind: string; id: string }>;
  /**
   * Ids only one stream may own (a tax id): claimed in the append's transaction, so of two
   * concurrent claims one fails, with `taken`'s error, and appends nothing. `of` reads the
   * state before the events (what a changed id releases).
   */
  uniqueLookups?: {
    of: (stateBefore: S, events: E[]) => { claims: Array<{ kind: string; id: string }>; releases?: Array<{ kind: string; id: string }> };
    taken: (claim: { kind: string; id: string }, ownerStreamId: string) => Error;
  };
  /** The next business date a day close has work for this stream (null: none). */
  schedule?: { category: string; nextDueOn: (state: S) => string | null };
  logger?: Logger;
}

export interface CommandRequest<C, E extends DomainEvent, R, S = unknown> {
  streamId: string;
  partitionKey: string;
  command: C;
  metadata: EventMetadata;
  /** Business time of the command: becomes each event's occurredAt. */
  now: string;
  /** The version the client read (If-Match): a conflict is then reported, not retried. */
  expectedVersion?: number;
  idempotency?: { scope: string; key: string; request: unknown };
  /** The answer for the client, derived from the new events (stored with the idempotency key). */
  respond: (events: E[], version: number) => R;
  /** Last step before storing, after `respond`: e.g. sealing personal data (the decider stays pure). */
  beforeAppend?: (events: E[], stateBefore: S) => Promise<E[]>;
  /**
   * Runs in the append's own transaction, before deciding, and returns the command to decide:
   * for what must be taken or checked atomically with the events (a gapless number, a gate
   * read under lock — see counters-and-gates.sql). A refusal, a conflict or nothing to append
   * rolls it back, so nothing is consumed. Runs again on each retry.
   */
  prepare?: (tx: Queryable, command: C, state: S) => Promise<C>;
  maxRetries?: number;
}

/** Enough for a burst of writers on one stream (20 payments for one customer at once). */
const DEFAULT_ATTEMPTS = 12;
const DEFAULT_CACHE_SIZE = 10_000;
/** About 60 MB of account state: a receivables account holds ~600 bytes of heap per event (measured). */
const DEFAULT_CACHE_EVENTS = 100_000;
const DEFAULT_SNAPSHOT_EVERY = 250;

export function requestHash(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request ?? null)).digest('hex');
}

/**
 * The one command pattern of every service: load (cached state or snapshot, plus the tail),
 * decide, append with the version read and the stream's index entries. Without If-Match a
 * concurrent writer's conflict is retried on fresh state; an idempotency key answers a
 * repeat with the first response. Cost stays flat as a stream grows: only the tail after
 * what is already folded is read, and the fold changes the state in place (ADR 12).
 */
export class CommandHandler<S, C, E extends DomainEvent> {
  private readonly cache: StreamStateCache<S>;
  private readonly snapshots: SnapshotStore;
  private readonly streams = new KeyedMutex();
  private readonly pendingSnapshots = new Set<Promise<void>>();

  constructor(private readonly store: PostgresEventStore, private readonly options: CommandHandlerOptions<S, C, E>) {
    this.cache = new StreamStateCache(options.cacheSize ?? DEFAULT_CACHE_SIZE, options.cacheEvents ?? DEFAULT_CACHE_EVENTS);
    this.snapshots = new SnapshotStore(store.pool);
  }

  async execute<R>(request: CommandRequest<C, E, R, S>): Promise<R> {
    const attempts = request.expectedVersion === undefined ? (request.maxRetries ?? DEFAULT_ATTEMPTS) : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.streams.run(request.streamId, () => this.attempt(request));
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || request.expectedVersion !== undefined || attempt >= attempts) throw error;
        // Writers that collided would collide again at once: spread the retries out.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));
      }
    }
  }

  /**
   * The stream's current state and version, for reads on the write side. The state is shared
   * with later commands of this process: read it, never change it, and use it before the next
   * `await`.
   */
  async load(streamId: string): Promise<VersionedState<S>> {
    return this.streams.run(streamId, async () => {
      const entry = await this.loadEntry(streamId);
      return { state: entry.state, version: entry.version };
    });
  }

  /**
   * Writes the stream's schedule from its current state. An append writes it by itself; this
   * is for a day close that found nothing to record, so the stream stops being due.
   */
  async reschedule(streamId: string, partitionKey: string): Promise<string | null> {
    const schedule = this.options.schedule;
    if (!schedule) throw new Error(`${this.options.name} keeps no schedule`);
    return this.streams.run(streamId, async () => {
      const entry = await this.loadEntry(streamId);
      const dueOn = schedule.nextDueOn(entry.state);
      await writeSchedule(this.store.pool, { streamId, partitionKey, category: schedule.category, dueOn, version: entry.version });
      return dueOn;
    });
  }

  /** Waits for snapshot writes in flight (shutdown, tests). */
  async flush(): Promise<void> {
    await Promise.all([...this.pendingSnapshots]);
  }

  /** One load → decide → append, holding this process's lock on the stream. */
  private async attempt<R>(request: CommandRequest<C, E, R, S>): Promise<R> {
    const { idempotency } = request;
    const hash = idempotency ? requestHash(idempotency.request) : '';
    // Checked on every attempt: a concurrent twin of this request may have just committed.
    if (idempotency) {
      const earlier = await this.store.findIdempotentResponse<R>(idempotency.scope, idempotency.key, hash);
      if (earlier !== undefined) return earlier;
    }
    const entry = await this.loadEntry(request.streamId);
    const version = entry.version;
    if (request.expectedVersion !== undefined && request.expectedVersion !== version) {
      throw new WrongExpectedVersionError(request.streamId, `stream ${request.streamId} is at version ${version}, not ${request.expectedVersion}`);
    }
    const tx = request.prepare ? await this.begin() : undefined;
    let outcome: { appended: false } | { appended: true; response: R };
    // A connection whose rollback failed is not handed back to the pool.
    let broken = false;
    try {
      const command = request.prepare ? await request.prepare(tx!, request.command, entry.state) : request.command;
      const events = this.options.decider.decide(command, entry.state);
      outcome = events.length === 0 ? { appended: false } : { appended: true, response: await this.append(request, entry, events, hash, tx) };
      await tx?.query(outcome.appended ? 'COMMIT' : 'ROLLBACK');
    } catch (error) {
      if (tx) broken = !(await tx.query('ROLLBACK').then(() => true, () => false));
      // A refusal leaves the cached state as it was; a failed append leaves it folded ahead.
      if (entry.version !== version) this.cache.drop(request.streamId);
      return this.afterFailedAppend(request, error, hash);
    } finally {
      tx?.release(broken);
    }
    if (!outcome.appended) {
      const response = request.respond([], version);
      return idempotency ? this.store.recordIdempotentResponse(idempotency.scope, idempotency.key, hash, response) : response;
    }
    this.cache.set(request.streamId, entry);
    this.snapshotIfDue(request.streamId, entry);
    return outcome.response;
  }

  private async begin(): Promise<PoolClient> {
    const client = await this.store.pool.connect();
    try {
      await client.query('BEGIN');
      return client;
    } catch (error) {
      client.release();
      throw error;
    }
  }

  /** Folds the events ahead (the schedule is of the state they lead to) and appends them with the stream's index entries. */
  private async append<R>(request: CommandRequest<C, E, R, S>, entry: CachedState<S>, events: E[], hash: string, tx?: Queryable): Promise<R> {
    const { idempotency } = request;
    const version = entry.version;
    const response = request.respond(events, version + events.length);
    const stored = request.beforeAppend ? await request.beforeAppend(events, entry.state) : events;
    const recorded = stored.map((e) => ({ ...e, id: randomUUID(), occurredAt: request.now }));
    // From the state before the events: folding changes it in place.
    const unique = this.options.uniqueLookups?.of(entry.state, events);
    // Folded ahead of the append (the lock keeps it from other commands here), so the
    // schedule of the state it leads to is written in the append's transaction.
    this.fold(entry, recorded.map((e, i) => ({ ...jsonCopy(e), streamVersion: version + i + 1 })));
    await this.store.append(request.streamId, version, recorded, {
      partitionKey: request.partitionKey,
      metadata: withActiveTrace(request.metadata),
      idempotency: idempotency && { scope: idempotency.scope, key: idempotency.key, requestHash: hash, response },
      index: this.indexFor(entry.state, stored, unique),
    }, tx);
    return response;
  }

  /** A refusal, or an append that failed: a taken unique id, or a twin's idempotent answer. */
  private async afterFailedAppend<R>(request: CommandRequest<C, E, R, S>, error: unknown, hash: string): Promise<R> {
    const { idempotency } = request;
    if (error instanceof UniqueLookupTakenError && this.options.uniqueLookups) {
      throw this.options.uniqueLookups.taken({ kind: error.kind, id: error.id }, error.ownerStreamId);
    }
    // Same key, same request, committed by a twin between our check and our append.
    if (error instanceof IdempotencyKeyReusedError && idempotency) {
      const earlier = await this.store.findIdempotentResponse<R>(idempotency.scope, idempotency.key, hash);
      if (earlier !== undefined) return earlier;
    }
    throw error;
  }

  /** Cached entry, else snapshot, else nothing; then the tail after it from the store. */
  private async loadEntry(streamId: string): Promise<CachedState<S>> {
    const entry = this.cache.get(streamId) ?? (await this.fromSnapshot(streamId))
      ?? { state: this.options.decider.initialState(), version: 0, snapshotVersion: 0 };
    const tail = await this.store.readStream<E>(streamId, { afterVersion: entry.version });
    try {
      this.fold(entry, tail);
    } catch (error) {
      this.cache.drop(streamId);
      throw error;
    }
    this.cache.set(streamId, entry);
    this.snapshotIfDue(streamId, entry);
    return entry;
  }

  /** Folds events that follow the entry's version, in order. */
  private fold(entry: CachedState<S>, events: Array<E & { streamVersion: number }>): void {
    for (const event of events) {
      if (event.streamVersion !== entry.version + 1) throw new Error(`stream gap: version ${event.streamVersion} after ${entry.version}`);
      entry.state = this.options.decider.evolve(entry.state, event);
      entry.version = event.streamVersion;
    }
  }

  private indexFor(stateAfter: S, events: E[], unique?: { claims: StreamIndex['claims']; releases?: StreamIndex['releases'] }): StreamIndex | undefined {
    const { lookups, schedule } = this.options;
    if (!lookups && !schedule && !unique) return undefined;
    return {
      lookups: lookups ? events.flatMap(lookups) : undefined,
      schedule: schedule ? { category: schedule.category, dueOn: schedule.nextDueOn(stateAfter) } : undefined,
      ...(unique?.claims?.length ? { claims: unique.claims } : {}),
      ...(unique?.releases?.length ? { releases: unique.releases } : {}),
    };
  }

  private async fromSnapshot(streamId: string): Promise<CachedState<S> | undefined> {
    const config = this.options.snapshots;
    if (!config) return undefined;
    const snapshot = await this.snapshots.load<S>(streamId, this.options.name, config.schemaVersion);
    return snapshot && { ...snapshot, snapshotVersion: snapshot.version };
  }

  /** Serialised now (the state moves on with the next event), written in the background. */
  private snapshotIfDue(streamId: string, entry: CachedState<S>): void {
    const config = this.options.snapshots;
    if (!config) return;
    // Spaced in proportion to the stream's length too: serialising a big state is costly, and
    // this keeps that cost per event constant while a cold load still reads at most a fifth.
    const every = Math.max(config.everyEvents ?? DEFAULT_SNAPSHOT_EVERY, Math.floor(entry.version / 4));
    if (entry.version - entry.snapshotVersion < every) return;
    entry.snapshotVersion = entry.version;
    const write = this.snapshots.save(streamId, this.options.name, config.schemaVersion, entry.version, JSON.stringify(entry.state))
      .catch((error) => this.options.logger?.warn({ err: error, streamId }, 'snapshot not saved'))
      .finally(() => this.pendingSnapshots.delete(write));
    this.pendingSnapshots.add(write);
  }
}

/** What the store will give back on a later read: JSON has no undefined members. */
function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

export function commandHandlerFor<S, C, E extends DomainEvent>(
  store: PostgresEventStore, options: CommandHandlerOptions<S, C, E>,
): CommandHandler<S, C, E> {
  return new CommandHandler(store, options);
}
