import { randomUUID } from 'node:crypto';
import { Admin, ConfigResourceTypes, Consumer, Kafka, logLevel, LogEntry, Partitioners, Producer, SASLOptions } from 'kafkajs';
import { Logger } from 'pino';
import { isTransientKafkaError } from './kafkajs-log-levels';
import { byPartition, partitionOfKey } from './partitioned-sends';
import {
  IncomingBatch, IncomingMessage, OutgoingMessage, SubscribeOptions, Subscription, Transport,
} from './transport';

/**
 * kafkajs 2.2.4's request queue (src/network/requestQueue/index.js) re-arms a timer after
 * every response even when no request waits: `setTimeout(check, throttledUntil - Date.now())`
 * with `throttledUntil = -1`, i.e. a negative delay. Node 24 warns (TimeoutNegativeWarning)
 * and runs it after 1 ms, so each broker connection also spins a 1 ms timer loop for nothing
 * (tulios/kafkajs#1751, #1704; unreleased upstream). Only `push()` adds pending requests and
 * it schedules a check itself, so no timer is needed while the queue is empty; with requests
 * pending the delay is what kafkajs computes (the throttle's end, else 10 ms), never negative.
 * Applied once, at import, and only to the version it was written against.
 */
export const KAFKAJS_TIMER_PATCH_VERSION = '2.2.4';
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

export function patchKafkajsRequestQueueTimer(): boolean {
  // Deep requires of kafkajs internals: kafkajs has no typings for them and no "exports" map.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== KAFKAJS_TIMER_PATCH_VERSION) return false;
  const RequestQueue = require('kafkajs/src/network/requestQueue');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const proto = RequestQueue.prototype;
  if (proto.scheduleCheckPendingRequests.patchedByCrm) return true;
  const scheduleCheckPendingRequests = function (this: {
    throttleCheckTimeoutId: NodeJS.Timeout | null; throttledUntil: number; pending: unknown[]; checkPendingRequests(): void;
  }) {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    const untilUnthrottled = this.throttledUntil - Date.now();
    this.throttleCheckTimeoutId = setTimeout(() => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    }, untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS);
  };
  proto.scheduleCheckPendingRequests = Object.assign(scheduleCheckPendingRequests, { patchedByCrm: true });
  return true;
}
patchKafkajsRequestQueueTimer();

export interface KafkaTransportOptions {
  brokers: string[];
  clientId: string;
  replicationFactor?: number;
  /** kafkajs logs transient, retried errors at ERROR level; tests silence it. */
  quiet?: boolean;
  /** Where kafkajs's own log lines go (as JSON with the service's other logs). */
  logger?: Logger;
  /** TLS to the brokers; `ca` (PEM) replaces the system trust store when given. */
  tls?: { ca?: string };
  /** SASL authentication, as managed and enterprise clusters require. */
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /**
   * False where applications may not create topics (they are declared, e.g. as Strimzi
   * KafkaTopic resources): a missing topic then stops the start, naming it. Default true.
   */
  createTopics?: boolean;
  /**
   * How often a consumer commits its group offsets (default 1 s). Not after every batch: that
   * is a broker round trip between one batch and the next, on the path of every event's
   * latency. What a consumer applied is committed in its database with its effects (inbox,
   * checkpoint), so a crash or a rebalance redelivers at most this long's worth, which drops
   * out as repeats; a consumer that stops commits what it applied first.
   */
  commitIntervalMs?: number;
  /**
   * How long the broker holds a consumer's fetch when it has nothing new (default 500 ms). Not
   * on the path of any event's latency: a fetch is answered as soon as one message arrives. It
   * is what an idle consumer costs: a service runs a dozen consumer groups, and at 100 ms their
   * empty fetches alone kept a tenth of a core busy in each service and in the broker.
   */
  fetchMaxWaitMs?: number;
}

/**
 * A topic this service needs is missing (and may not be created here), or keeps its events for
 * a limited time: a rebuild from offset zero would silently miss the expired ones.
 */
export class TopicConfigurationError extends Error {
  constructor(message: string, readonly topics: string[]) {
    super(message);
    this.name = 'TopicConfigurationError';
  }
}

const PINO_LEVEL: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug',
};

function pinoLogCreator(logger: Logger) {
  return () => ({ level, log }: LogEntry) => {
    const { message, ...rest } = log;
    const pinoLevel = level === logLevel.ERROR && isTransientKafkaError(message, rest) ? 'warn' : PINO_LEVEL[level] ?? 'info';
    logger[pinoLevel]({ kafkajs: rest }, message);
  };
}

/** How long a topic's partition count is trusted before it is read again (partitions can be added). */
const PARTITION_COUNT_TTL_MS = 60_000;

/**
 * A partition that was just created can be listed with a leader before the broker hosts it
 * (KRaft applies metadata asynchronously); kafkajs then fails the call. Ask again, briefly.
 */
async function retryWhileNotHosted<T>(call: () => Promise<T>): Promise<T> {
  // By time, not attempts: on a loaded three-broker cluster, leaders of fresh topics took longer
  // than ten seconds to reach every broker's metadata (the fault test's start-ups failed so).
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await call();
    } catch (error: any) {
      const notHostedYet = error?.type === 'UNKNOWN_TOPIC_OR_PARTITION' || /does not host this topic-partition/.test(String(error?.message));
      if (!notHostedYet || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function headerToString(value: unknown): string {
  if (Array.isArray(value)) return headerToString(value[value.length - 1]);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return value === undefined || value === null ? '' : String(value);
}

/** A message's headers as strings; a plain loop (no entry arrays): a rebuild converts ~16 per message. */
function headersToStrings(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) out[name] = headerToString(headers[name]);
  return out;
}

/** First wait before a consumer kafkajs gave up on is replaced; it doubles up to the maximum. */
const REPLACE_BACKOFF_MS = 500;
const MAX_REPLACE_BACKOFF_MS = 10_000;

/** The only file that imports kafkajs (ADR 0004). */
export class KafkajsTransport implements Transport {
  private readonly kafka: Kafka;
  private producer?: Promise<Producer>;
  private admin?: Promise<Admin>;
  private readonly consumers = new Set<Consumer>();
  private readonly partitionCounts = new Map<string, { count: number; readAt: number }>();
  /** Closed: no consumer is replaced any more. */
  private closed = false;

  constructor(private readonly options: KafkaTransportOptions) {
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: options.quiet ? logLevel.NOTHING : logLevel.WARN,
      ...(options.logger ? { logCreator: pinoLogCreator(options.logger) } : {}),
      retry: { retries: 8, initialRetryTime: 100 },
      ...(options.tls ? { ssl: options.tls.ca ? { ca: [options.tls.ca] } : true } : {}),
      // The union of mechanisms is what kafkajs's SASLOptions spells out one by one.
      ...(options.sasl ? { sasl: options.sasl as SASLOptions } : {}),
    });
  }

  /**
   * One shared client, connected on first use. A connection that fails (a broker outage at
   * the first publish) is not kept: the failed client is dropped and the next call starts
   * over on a fresh one. Memoizing the rejected promise left a relay failing forever.
   */
  private connectOnce<T extends { connect(): Promise<void>; disconnect(): Promise<void> }>(
    current: Promise<T> | undefined, create: () => T, forget: (attempt: Promise<T>) => void,
  ): Promise<T> {
    if (current) return current;
    const attempt = (async () => {
      const client = create();
      try {
        await client.connect();
      } catch (error) {
        await client.disconnect().catch(() => undefined);
        throw error;
      }
      return client;
    })();
    attempt.catch(() => forget(attempt));
    return attempt;
  }

  private getProducer(): Promise<Producer> {
    // One explicit partitioner everywhere: the Java client's murmur2, so a customer's
    // events land on the same partition whichever producer (ours or a Java one) sends them.
    // Idempotence + one request in flight keep per-key order through retries.
    this.producer = this.connectOnce(this.producer, () => this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
    }), (attempt) => { if (this.producer === attempt) this.producer = undefined; });
    return this.producer;
  }

  private getAdmin(): Promise<Admin> {
    this.admin = this.connectOnce(this.admin, () => this.kafka.admin(),
      (attempt) => { if (this.admin === attempt) this.admin = undefined; });
    return this.admin;
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.getProducer();
    const count = await this.partitionCount(topic);
    // One send per partition (see byPartition), side by side; a topic not created yet gets one
    // send (the producer's metadata request may create it). acks -1: the broker answers only
    // once every in-sync replica has the batch.
    const groups = count === undefined ? [messages] : [...byPartition(topic, messages, count).values()];
    const sends = await Promise.allSettled(groups.map((group) =>
      retryWhileNotHosted(() => producer.send({ topic, acks: -1, messages: group }))));
    const failed = sends.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await this.dropProducer(producer);
      throw failed.reason;
    }
  }

  /** A topic's partition count (cached for PARTITION_COUNT_TTL_MS); undefined for a topic that does not exist (yet). */
  private async partitionCount(topic: string): Promise<number | undefined> {
    const known = this.partitionCounts.get(topic);
    if (known && Date.now() - known.readAt < PARTITION_COUNT_TTL_MS) return known.count;
    const admin = await this.getAdmin();
    try {
      const { topics: [metadata] } = await admin.fetchTopicMetadata({ topics: [topic] });
      if (!metadata || metadata.partitions.length === 0) return undefined;
      this.partitionCounts.set(topic, { count: metadata.partitions.length, readAt: Date.now() });
      return metadata.partitions.length;
    } catch (error: any) {
      if (error?.type === 'UNKNOWN_TOPIC_OR_PARTITION') return undefined;
      throw error;
    }
  }

  /**
   * A send that failed (a broker killed mid-request, a timeout) may still have been written.
   * kafkajs then rolls its idempotent sequence numbers back, so the caller's next, differently
   * sized batch starts at a sequence the broker has already seen: it refuses it as out of order
   * (or takes it for a duplicate), every time, and the relay stops publishing. A fresh producer
   * gets a new producer id and sequences from zero; repeats it publishes are the at-least-once
   * the consumers already drop (inbox, log positions).
   */
  private async dropProducer(failed: Producer): Promise<void> {
    const current = this.producer;
    if (!current || (await current.catch(() => undefined)) !== failed) return;
    if (this.producer === current) this.producer = undefined;
    await failed.disconnect().catch(() => undefined);
  }

  /**
   * A consumer group member that outlives what kafkajs gives up on. kafkajs restarts a consumer
   * after retriable failures by itself; after a non-retriable one (no broker reachable while one
   * was down, an unrecoverable error in a batch) it stays stopped for good and the group's
   * partitions wait for nobody. Such a consumer is replaced by a fresh one, with backoff, until
   * the subscription is stopped.
   */
  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    let stopped = false;
    let current: Subscription | undefined;
    let replacing: Promise<void> | undefined;
    const replace = async (error: unknown) => {
      this.options.logger?.error({ err: error, groupId: options.groupId }, 'kafka consumer crashed and kafkajs will not restart it; starting a fresh one');
      const dead = current;
      current = undefined;
      await dead?.stop().catch(() => undefined);
      for (let attempt = 0; !stopped && !this.closed; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(REPLACE_BACKOFF_MS * 2 ** attempt, MAX_REPLACE_BACKOFF_MS)));
        if (stopped || this.closed) return;
        try {
          current = await this.startConsumer(options, onGaveUp);
          if (stopped || this.closed) await current.stop();
          return;
        } catch (startError) {
          this.options.logger?.warn({ err: startError, groupId: options.groupId }, 'kafka consumer could not start again; retrying');
        }
      }
    };
    const onGaveUp = (error: unknown) => {
      if (!stopped && !this.closed) replacing = replace(error).finally(() => (replacing = undefined));
    };
    current = await this.startConsumer(options, onGaveUp);
    return {
      stop: async () => {
        stopped = true;
        await replacing;
        await current?.stop();
        current = undefined;
      },
    };
  }

  /** One kafkajs consumer, joined and running; `onGaveUp` when kafkajs will not restart it. */
  private async startConsumer(options: SubscribeOptions, onGaveUp: (error: unknown) => void): Promise<Subscription> {
    const commitIntervalMs = this.options.commitIntervalMs ?? 1000;
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: this.options.fetchMaxWaitMs ?? 500,
      // Bigger fetches mean fewer, larger batches: one database transaction each.
      maxBytesPerPartition: options.maxBytesPerPartition ?? 8 * 1024 * 1024,
      maxBytes: 32 * 1024 * 1024,
      allowAutoTopicCreation: false,
    });
    this.consumers.add(consumer);
    try {
      await consumer.connect();
      await retryWhileNotHosted(() => consumer.subscribe({ topics: options.topics, fromBeginning: options.fromBeginning }));
    } catch (error) {
      // Nothing memoized: the caller's next subscribe makes a fresh consumer; drop this one.
      this.consumers.delete(consumer);
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) onGaveUp(payload.error);
    });
    // Offsets applied and not yet committed, by topic and partition (the next offset to read).
    const applied = new Map<string, { topic: string; partition: number; offset: string }>();
    const inFlight = new Set<Promise<void>>();
    let stopping = false;
    const commitApplied = async () => {
      const offsets = [...applied.entries()];
      applied.clear();
      if (offsets.length === 0) return;
      try {
        await consumer.commitOffsets(offsets.map(([, o]) => o));
      } catch (error) {
        // A rebalance under way, a coordinator moving: keep them for the next commit unless a later batch superseded them.
        for (const [key, o] of offsets) if (!applied.has(key)) applied.set(key, o);
        this.options.logger?.warn({ err: error, groupId: options.groupId }, 'kafka consumer: committing offsets failed; retried at the next commit');
      }
    };
    // After a rebalance another member may own these partitions: committing this member's older offsets would move theirs back.
    consumer.on(consumer.events.GROUP_JOIN, () => applied.clear());
    let lastCommit = Date.now();
    await consumer.run({
      // Committed here, every `commitIntervalMs` and on stop: kafkajs's own auto-commit sends one after every batch.
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        if (isStale()) return;
        const incoming: IncomingBatch = {
          topic: batch.topic,
          partition: batch.partition,
          highWatermark: batch.highWatermark,
          messages: batch.messages.map((m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            key: m.key ? m.key.toString('utf8') : null,
            value: m.value,
            headers: headersToStrings(m.headers),
          })),
        };
        const handled = options.eachBatch(incoming, {
          resolveOffset: (offset) => {
            resolveOffset(offset);
            applied.set(`${batch.topic}/${batch.partition}`, { topic: batch.topic, partition: batch.partition, offset: (BigInt(offset) + 1n).toString() });
          },
          heartbeat,
          isRunning: () => isRunning() && !isStale(),
        });
        inFlight.add(handled);
        try {
          await handled;
        } finally {
          inFlight.delete(handled);
        }
        if (!stopping && Date.now() - lastCommit >= commitIntervalMs) {
          lastCommit = Date.now();
          await commitApplied();
        }
      },
    });
    return {
      stop: async () => {
        // Let the batches in hand finish, commit what was applied, then leave the group.
        stopping = true;
        await Promise.allSettled([...inFlight]);
        await commitApplied();
        await consumer.disconnect();
        this.consumers.delete(consumer);
      },
    };
  }

  async ensureTopics(topics: Array<{ topic: string; partitions: number; retentionMs?: number }>): Promise<void> {
    const admin = await this.getAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    await this.verifyRetention(admin, topics.filter((t) => existing.has(t.topic) && t.retentionMs === undefined).map((t) => t.topic));
    if (missing.length > 0 && this.options.createTopics === false) {
      const names = missing.map((t) => t.topic);
      throw new TopicConfigurationError(`topics ${names.join(', ')} do not exist and KAFKA_CREATE_TOPICS=false: declare them (infra/k8s/base/topics.yaml)`, names);
    }
    if (missing.length > 0) await this.createTopics(admin, missing);
    // Every declared topic, not only the ones created here: a topic another service or replica
    // created a moment ago may not be hosted by its leaders yet (a start-up's first ListOffsets
    // failed so in the fault test). Hosted topics answer at once.
    await this.waitForLeaders(admin, topics.map((t) => t.topic));
  }

  /** Event topics are the log every read model rebuilds from: they must keep everything (retention.ms = -1). */
  private async verifyRetention(admin: Admin, topics: string[]): Promise<void> {
    if (topics.length === 0) return;
    // A topic another service created a moment ago: its partitions may not be hosted yet.
    const { resources } = await retryWhileNotHosted(() => admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms'] })),
    }));
    const limited = resources.flatMap((r) => {
      const value = r.configEntries.find((e) => e.configName === 'retention.ms')?.configValue;
      return value !== undefined && value !== '-1' ? [`${r.resourceName} (retention.ms=${value})`] : [];
    });
    if (limited.length > 0) {
      throw new TopicConfigurationError(
        `topics ${limited.join(', ')} do not keep their events forever: set retention.ms=-1 (a rebuild from zero depends on it)`,
        limited.map((t) => t.split(' ')[0]));
    }
  }

  private async createTopics(admin: Admin, missing: Array<{ topic: string; partitions: number; retentionMs?: number }>) {
    try {
      // The admin refreshes its metadata first, which fails while a topic another replica just
      // created is not hosted yet: asked again, like every other call at start-up.
      await retryWhileNotHosted(() => admin.createTopics({
        // kafkajs's own wait retries only "leader not available"; a fresh KRaft broker can also
        // answer "does not host this topic-partition" (seen in CI). `waitForLeaders` below waits.
        waitForLeaders: false,
        topics: missing.map((t) => ({
          topic: t.topic,
          numPartitions: t.partitions,
          replicationFactor: this.options.replicationFactor ?? 1,
          configEntries: [{ name: 'retention.ms', value: String(t.retentionMs ?? -1) }],
        })),
      }));
    } catch (error: any) {
      // Another replica (or another consumer of this one) may create the same topic at the same
      // moment; kafkajs reports that per topic, under a generic "Topic creation errors".
      const errors: Array<{ type?: string }> = error?.topicErrors ?? [];
      const exists = String(error?.message ?? '').includes('already exists') || (errors.length > 0 && errors.every((e) => e.type === 'TOPIC_ALREADY_EXISTS'));
      if (!exists) throw error;
    }
  }

  /**
   * A broker that has just started can answer createTopics before it hosts the new
   * partitions; producers and consumers then fail with "does not host this topic-partition".
   * Leaders in the metadata are not enough: ListOffsets goes to each partition's leader and
   * succeeds only once it really hosts the partition.
   */
  private async waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
    // Metadata for no topics is every topic's: nothing to wait for.
    if (topics.length === 0) return;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
        const led = metadata.length === topics.length && metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
        if (led) {
          for (const topic of topics) await admin.fetchTopicOffsets(topic);
          return;
        }
      } catch {
        // not hosted yet: ask again
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`topics ${topics.join(', ')} are not served by their partition leaders after 30 s`);
  }

  async endOffsets(topic: string): Promise<Array<{ partition: number; offset: string }>> {
    const admin = await this.getAdmin();
    const offsets = await retryWhileNotHosted(() => admin.fetchTopicOffsets(topic));
    return offsets.map((o) => ({ partition: o.partition, offset: o.high }));
  }

  async groupOffsets(groupId: string, topic: string): Promise<Array<{ partition: number; offset: string }>> {
    const admin = await this.getAdmin();
    const result = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (result[0]?.partitions ?? []).map((p) => ({ partition: p.partition, offset: p.offset }));
  }

  async deleteGroup(groupId: string): Promise<void> {
    const admin = await this.getAdmin();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }

  async readKeySince(topic: string, key: string, fromTimestampMs: number, timeoutMs = 60_000): Promise<IncomingMessage[]> {
    const admin = await this.getAdmin();
    const { topics: [metadata] } = await admin.fetchTopicMetadata({ topics: [topic] });
    // The producers' partitioner (murmur2 of the key), so this is the partition the key was published on.
    const partition = partitionOfKey(topic, key, metadata.partitions.length);
    const end = BigInt((await admin.fetchTopicOffsets(topic)).find((o) => o.partition === partition)?.high ?? '0');
    const start = (await admin.fetchTopicOffsetsByTimestamp(topic, fromTimestampMs)).find((o) => o.partition === partition)?.offset ?? end.toString();
    const from = BigInt(start) < 0n ? end : BigInt(start);
    if (from >= end) return [];
    const groupId = `${this.options.clientId}.read-key.${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
    const found: IncomingMessage[] = [];
    try {
      await consumer.connect();
      // The other partitions start at their end (no committed offsets, not from the beginning): nothing is read there.
      await retryWhileNotHosted(() => consumer.subscribe({ topics: [topic], fromBeginning: false }));
      await new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`read ${topic}/${partition} from offset ${from} to ${end} for more than ${timeoutMs} ms`)), timeoutMs);
        consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            if (batch.partition !== partition) return;
            for (const m of batch.messages) {
              if (BigInt(m.offset) >= end) break;
              if (m.key?.toString('utf8') === key) {
                found.push({ topic, partition, offset: m.offset, key, value: m.value, headers: headersToStrings(m.headers) });
              }
            }
            if (BigInt(batch.lastOffset()) + 1n >= end) {
              clearTimeout(deadline);
              resolve();
            }
          },
        }).then(() => consumer.seek({ topic, partition, offset: from.toString() }), reject);
      });
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
    return found;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.consumers].map((c) => c.disconnect().catch(() => undefined)));
    this.consumers.clear();
    const [producer, admin] = [this.producer, this.admin];
    this.producer = undefined;
    this.admin = undefined;
    // A client still connecting (or that failed to) has nothing to close.
    await producer?.then((p) => p.disconnect()).catch(() => undefined);
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
  }
}
