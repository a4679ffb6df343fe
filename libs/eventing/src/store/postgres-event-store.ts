import { Pool } from 'pg';
import { Counter } from 'prom-client';
import { UpcasterRegistry } from '../upcasting/upcaster-registry';
import { AppendNotifier } from './append-notifier';
import { IdempotencyKeyReusedError, UniqueLookupTakenError, WrongExpectedVersionError } from './event-store.errors';
import {
  AppendOptions, AppendResult, ExpectedVersion, LogPosition, NewEvent, RecordedEvent, StoredEvent,
} from './event-store.types';
import { EVENT_STORE_DDL } from './event-store.sql';
import { Queryable } from './sql-client';
import { eventsAppendedTotal } from '../metrics/eventing-metrics';

const EVENT_COLUMNS = `global_position, transaction_id::text AS transaction_id, stream_id, stream_version,
  event_id, event_type, schema_version, partition_key, data, metadata, occurred_at, recorded_at, hash`;

function expectedToSql(expected: ExpectedVersion): number | null {
  if (expected === 'any') return null;
  if (expected === 'no_stream') return 0;
  if (expected === 'stream_exists') return -1;
  return expected;
}

/** Stands in for a request hash that was forgotten (erasure): any retry gets the first response. */
const FORGOTTEN_REQUEST = 'forgotten';

export class PostgresEventStore {
  private readonly appended: Counter;
  private readonly notifier: AppendNotifier;

  constructor(
    /** The service's pool: snapshots and lookups live in the same database. */
    readonly pool: Pool,
    private readonly upcasters: UpcasterRegistry = new UpcasterRegistry(),
  ) {
    this.appended = eventsAppendedTotal();
    this.notifier = AppendNotifier.of(pool);
  }

  static async install(db: Queryable): Promise<void> {
    await db.query(EVENT_STORE_DDL);
  }

  /**
   * Appends atomically: all events or none. Pass `db` to take part in a caller's transaction
   * (a policy appending together with its inbox row).
   */
  async append(
    streamId: string, expected: ExpectedVersion, events: NewEvent[], options: AppendOptions,
    db: Queryable = this.pool,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append needs at least one event');
    // The hash chain covers occurredAt as text: one canonical form makes it verifiable later.
    const payload = events.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt).toISOString(), metadata: options.metadata }));
    const idem = options.idempotency;
    try {
      const params = [streamId, expectedToSql(expected), options.partitionKey, JSON.stringify(payload),
        idem?.scope ?? null, idem?.key ?? null, idem?.requestHash ?? null, idem ? JSON.stringify(idem.response) : null];
      // With index entries (lookups, schedule) the same call writes them in the append's transaction.
      const index = options.index;
      const indexParams = index && [index.lookups?.length ? JSON.stringify(index.lookups) : null, index.schedule ? JSON.stringify(index.schedule) : null];
      const claiming = index && (index.claims?.length || index.releases?.length);
      const { rows } = claiming
        ? await db.query('SELECT next_version, last_global_position, appended FROM es_append_claiming($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)',
          [...params, ...indexParams!, index.claims?.length ? JSON.stringify(index.claims) : null,
            index.releases?.length ? JSON.stringify(index.releases) : null])
        : indexParams
          ? await db.query('SELECT next_version, last_global_position, appended FROM es_append_indexed($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)', [...params, ...indexParams])
          : await db.query('SELECT next_version, last_global_position, appended FROM es_append($1,$2,$3,$4,$5,$6,$7,$8)', params);
      const row = rows[0];
      if (row.appended) {
        this.appended.inc({ type: events[0].type }, events.length);
        // Wakes the relays once the append is committed (ADR 24).
        this.notifier.appended(db);
      }
      return { nextExpectedVersion: row.next_version, lastGlobalPosition: row.last_global_position, appended: row.appended };
    } catch (error: any) {
      if (error?.code === 'P0409' || error?.constraint === 'events_stream_version_uq') {
        throw new WrongExpectedVersionError(streamId, error.message);
      }
      if (error?.code === 'P0410') {
        const claim = options.index?.claims?.find((c) => error.message.includes(`the ${c.kind} ${c.id} `)) ?? options.index?.claims?.[0];
        throw new UniqueLookupTakenError(claim?.kind ?? '', claim?.id ?? '', error.detail ?? '');
      }
      if (error?.code === '23505' && error?.constraint === 'idempotency_keys_pkey' && idem) {
        throw new IdempotencyKeyReusedError(idem.key);
      }
      throw error;
    }
  }

  /**
   * A stream in order, upcast; `afterVersion` reads only the tail after what a caller has folded.
   * `E` is the stream owner's event type: the one place stored JSON becomes the decider's typed
   * events (only its owner writes a stream, and upcasting brings each event to its current version).
   */
  async readStream<E extends { type: string; data: unknown } = RecordedEvent>(
    streamId: string, options: { afterVersion?: number; db?: Queryable } = {},
  ): Promise<Array<StoredEvent<E>>> {
    const { rows } = await (options.db ?? this.pool).query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version > $2 ORDER BY stream_version`,
      [streamId, options.afterVersion ?? 0]);
    return this.typed<E>(rows);
  }

  /** The one place stored JSON becomes a stream owner's typed events (see readStream). */
  private typed<E extends { type: string; data: unknown }>(rows: Parameters<typeof toRecorded>[0][]): Array<StoredEvent<E>> {
    return rows.map((r) => this.upcasters.upcast(toRecorded(r)) as unknown as StoredEvent<E>);
  }

  /**
   * One keyset page of every stream whose id starts with `prefix`, in (stream, version) order
   * after `after`, upcast and typed as `readStream` types them (the streams' owner names `E`):
   * how a what-if walks a whole family of streams (`account-…`, `loyalty-…`) in flat memory.
   */
  async readStreamsPage<E extends { type: string; data: unknown } = RecordedEvent>(
    prefix: string, after: { streamId: string; version: number }, limit: number,
  ): Promise<Array<StoredEvent<E>>> {
    const { rows } = await this.pool.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id LIKE $3 AND (stream_id, stream_version) > ($1, $2)
        ORDER BY stream_id, stream_version LIMIT ${Math.max(1, Math.floor(limit))}`,
      [after.streamId, after.version, `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`]);
    return this.typed<E>(rows);
  }

  /**
   * Every event of one partition key (a customer) recorded at or before an instant, upcast, in
   * log order: what a read model fed by this service's own topic had seen of that key then
   * (as-of reads; compared at the millisecond the published `recordedAt` carries). One index
   * range (partition_key, global_position), bounded by the customer.
   */
  async readPartitionRecordedBy(partitionKey: string, instant: string, db: Queryable = this.pool): Promise<RecordedEvent[]> {
    return this.readPartitionsRecordedBy([partitionKey], instant, db);
  }

  /** The same for a page of keys at once (one query; each key's events in log order). */
  async readPartitionsRecordedBy(partitionKeys: string[], instant: string, db: Queryable = this.pool): Promise<RecordedEvent[]> {
    const { rows } = await db.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE partition_key = ANY($1::text[]) AND date_trunc('milliseconds', recorded_at) <= $2
        ORDER BY partition_key, global_position`, [partitionKeys, instant]);
    return rows.map((r) => this.upcasters.upcast(toRecorded(r)));
  }

  /** Which stream owns an id of a kind (an invoice, a payment…), from the lookups written with appends. */
  async streamOwning(kind: string, id: string): Promise<string | undefined> {
    const { rows } = await this.pool.query('SELECT stream_id FROM stream_lookups WHERE kind = $1 AND id = $2', [kind, id]);
    return rows[0]?.stream_id;
  }

  /**
   * Reads the log in commit order after `after`, only below the oldest transaction still in
   * flight, so a transaction that took a lower position but commits later is never skipped.
   */
  async readAll(after: LogPosition, limit: number, db: Queryable = this.pool): Promise<RecordedEvent[]> {
    const { rows } = await db.query(
      `SELECT ${EVENT_COLUMNS} FROM events
        WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id, global_position
        LIMIT $3`,
      [after.transactionId, after.globalPosition, limit]);
    return rows.map((r) => this.upcasters.upcast(toRecorded(r)));
  }

  /** Finds the stored answer to an earlier command with this idempotency key, if any. */
  /**
   * Forgets the request fingerprints of a scope's records whose response contains `response`
   * (e.g. one customer's registration): a request hash fingerprints the body, which can hold
   * personal data being erased. The key keeps answering with its first response, so a retry
   * after the erasure cannot create a second customer.
   */
  async forgetIdempotentRequests(scope: string, response: Record<string, unknown>): Promise<number> {
    const { rowCount } = await this.pool.query(
      `UPDATE idempotency_keys SET request_hash = '${FORGOTTEN_REQUEST}' WHERE scope = $1 AND response @> $2::jsonb`,
      [scope, JSON.stringify(response)]);
    return rowCount ?? 0;
  }

  /**
   * Remembers the answer to a command that appended nothing (a no-op is an answer too: a retry
   * with the same key must get it, and a different request under the key is refused). Returns
   * the answer on record, which is an earlier twin's when one got there first.
   */
  async recordIdempotentResponse<T>(scope: string, key: string, requestHash: string, response: T): Promise<T> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, response) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [scope, key, requestHash, JSON.stringify(response)]);
    if (rowCount) return response;
    return (await this.findIdempotentResponse<T>(scope, key, requestHash))!;
  }

  async findIdempotentResponse<T>(scope: string, key: string, requestHash: string): Promise<T | undefined> {
    const { rows } = await this.pool.query(
      'SELECT request_hash, response FROM idempotency_keys WHERE scope = $1 AND key = $2', [scope, key]);
    if (rows.length === 0) return undefined;
    if (rows[0].request_hash !== requestHash && rows[0].request_hash !== FORGOTTEN_REQUEST) throw new IdempotencyKeyReusedError(key);
    return rows[0].response as T;
  }
}

export function toRecorded(r: any): RecordedEvent {
  return {
    id: r.event_id,
    type: r.event_type,
    schemaVersion: r.schema_version,
    data: r.data,
    occurredAt: new Date(r.occurred_at).toISOString(),
    streamId: r.stream_id,
    streamVersion: r.stream_version,
    partitionKey: r.partition_key,
    metadata: r.metadata,
    globalPosition: String(r.global_position),
    transactionId: r.transaction_id,
    hash: r.hash,
    ...(r.recorded_at ? { recordedAt: new Date(r.recorded_at).toISOString() } : {}),
  };
}
