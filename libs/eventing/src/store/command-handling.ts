import { createHash, randomUUID } from 'node:crypto';
import { Decider, EventMetadata } from '@crm/contracts';
import { IdempotencyKeyReusedError, WrongExpectedVersionError } from './event-store.errors';
import { PostgresEventStore } from './postgres-event-store';

/** What a decider returns: a fact without identity or position yet. */
export interface DomainEvent {
  type: string;
  schemaVersion: number;
  data: any;
}

export interface HandleCommandInput<S, C, E extends DomainEvent> {
  store: PostgresEventStore;
  decider: Decider<S, C, E>;
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
  respond: (events: E[], version: number) => unknown;
  /** Last step before storing, after `respond`: e.g. sealing personal data (the decider stays pure). */
  beforeAppend?: (events: E[]) => Promise<E[]>;
  maxRetries?: number;
}

/** Enough for a burst of writers on one stream (20 payments for one customer at once). */
const DEFAULT_ATTEMPTS = 12;

export function requestHash(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request ?? null)).digest('hex');
}

/**
 * Load → decide → append with the version read. Without If-Match, a concurrent writer's
 * conflict is retried a few times on fresh state (no lost update either way).
 */
export async function handleCommand<S, C, E extends DomainEvent>(input: HandleCommandInput<S, C, E>): Promise<unknown> {
  const { store, decider, idempotency } = input;
  const hash = idempotency ? requestHash(idempotency.request) : '';
  const attempts = input.expectedVersion === undefined ? (input.maxRetries ?? DEFAULT_ATTEMPTS) : 1;
  for (let attempt = 1; ; attempt++) {
    // Checked on every attempt: a concurrent twin of this request may have just committed.
    if (idempotency) {
      const earlier = await store.findIdempotentResponse(idempotency.scope, idempotency.key, hash);
      if (earlier !== undefined) return earlier;
    }
    const history = await store.readStream(input.streamId);
    const version = history.length === 0 ? 0 : history[history.length - 1].streamVersion;
    if (input.expectedVersion !== undefined && input.expectedVersion !== version) {
      throw new WrongExpectedVersionError(input.streamId, `stream ${input.streamId} is at version ${version}, not ${input.expectedVersion}`);
    }
    const state = history.reduce((s, e) => decider.evolve(s, e as unknown as E), decider.initialState());
    const events = decider.decide(input.command, state);
    if (events.length === 0) return input.respond([], version);
    const response = input.respond(events, version + events.length);
    const stored = input.beforeAppend ? await input.beforeAppend(events) : events;
    try {
      await store.append(input.streamId, version,
        stored.map((e) => ({ ...e, id: randomUUID(), occurredAt: input.now })), {
        partitionKey: input.partitionKey,
        metadata: input.metadata,
        idempotency: idempotency && { scope: idempotency.scope, key: idempotency.key, requestHash: hash, response },
      });
      return response;
    } catch (error) {
      // Same key, same request, committed by a twin between our check and our append.
      if (error instanceof IdempotencyKeyReusedError && idempotency) {
        const earlier = await store.findIdempotentResponse(idempotency.scope, idempotency.key, hash);
        if (earlier !== undefined) return earlier;
      }
      if (!(error instanceof WrongExpectedVersionError) || attempt >= attempts) throw error;
      // Writers that collided would collide again at once: spread the retries out.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));
    }
  }
}
