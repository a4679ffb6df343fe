/**
 * Our own narrow view of a Kafka client. Only kafkajs-transport.ts knows kafkajs, so moving
 * to @confluentinc/kafka-javascript (KafkaJS-compatible API) stays a one-file change.
 */
export interface OutgoingMessage {
  key: string;
  value: Buffer | string;
  headers: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface IncomingBatch {
  topic: string;
  partition: number;
  /** Offset of the last message in the partition + 1 at fetch time (for lag). */
  highWatermark: string;
  messages: IncomingMessage[];
}

export interface SubscribeOptions {
  groupId: string;
  topics: string[];
  fromBeginning: boolean;
  /** Partitions whose batches are handled at the same time (order within each is kept). */
  partitionsConcurrently?: number;
  /** Upper bound of one fetch per partition, hence of one batch (default 8 MiB). */
  maxBytesPerPartition?: number;
  /** Handles one partition's batch; resolves only when the batch is durably applied. */
  eachBatch(batch: IncomingBatch, control: BatchControl): Promise<void>;
}

export interface BatchControl {
  /** Marks a message done; its offset is committed to the group soon after (the transport's commit interval) and on stop. */
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  isRunning(): boolean;
}

export interface Subscription {
  /** Finishes the batch in hand, commits its offsets and leaves the group. */
  stop(): Promise<void>;
}

export interface Transport {
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  ensureTopics(topics: Array<{ topic: string; partitions: number; retentionMs?: number }>): Promise<void>;
  /** End offsets per partition, for rebuild progress and caught-up checks. */
  endOffsets(topic: string): Promise<Array<{ partition: number; offset: string }>>;
  /** Committed group offsets per partition (-1 when none). */
  groupOffsets(groupId: string, topic: string): Promise<Array<{ partition: number; offset: string }>>;
  deleteGroup(groupId: string): Promise<void>;
  /**
   * The messages with this key published at or after `fromTimestampMs`, up to the end the
   * key's partition had when called: only that partition is read, from the first offset at
   * that time (a throwaway group, nothing committed). For cross-checks such as chain anchors.
   */
  readKeySince(topic: string, key: string, fromTimestampMs: number, timeoutMs?: number): Promise<IncomingMessage[]>;
  close(): Promise<void>;
}
