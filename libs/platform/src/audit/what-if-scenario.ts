import { EventEnvelope } from '@crm/contracts';
import { RecordedEvent, StoredEvent } from '@crm/eventing';
import { Pool } from 'pg';
import { ServiceConfig } from '../config/service-config';

/** A policy file that does not describe a valid policy: each problem names its field. */
export class WhatIfPolicyError extends Error {
  constructor(readonly problems: Array<{ field: string; message: string }>) {
    super(`the policy file is not valid: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    this.name = 'WhatIfPolicyError';
  }
}

/** Counts differences between pairs of documents (live, what-if), streamed in; lines to print at the end. */
export interface WhatIfTally {
  add(live: any, whatIf: any): void;
  lines(): string[];
  /** The counts, for --json. */
  counts(): Record<string, number>;
  /** Each stream as replayed, beside its live events (what documents do not keep, e.g. every tier change). */
  replayed?(live: Array<StoredEvent<{ type: string; data: unknown }>>, whatIf: RecordedEvent[]): void;
}

/**
 * Topics of other services a scenario replays beside its own store: what its policies consumed
 * (e.g. credit's hold policy reads receivables' events), so moments at which live recorded
 * nothing can be decided again. Read from offset zero; each stream gets its subject's events.
 */
export interface WhatIfUpstream {
  topics(config: ServiceConfig): string[];
  /**
   * The stream of this service a subject's upstream events belong to: a stream is handed the
   * events of its partition key when this names it, and a subject with upstream events but no
   * such stream in the store is replayed as an empty stream of this id (a customer live never
   * recorded anything for, where the alternative policy may).
   */
  streamOf(subject: string): string;
}

/** The upstream events of one replayed stream's subject: each topic's in its order (partition, offset), topic after topic. */
export interface UpstreamEvents {
  subject: string;
  streamId: string;
  events: EventEnvelope[];
}

/**
 * What a service offers `audit what-if` for one read model: how to read an alternative policy
 * (dunning ladder, hold rules, loyalty thresholds…), which of its streams to replay, how one
 * stream's recorded events would have come out under that policy, and how to count the
 * differences. The platform does the rest: the scratch schema, the projection, the diff.
 */
export interface WhatIfScenario<P = unknown, C = unknown, E extends { type: string; data: unknown } = { type: string; data: unknown }> {
  projection: string;
  /** What the policy file holds (shown in errors and help). */
  policyShape: string;
  /** Throws WhatIfPolicyError naming each bad field (may check asynchronously, as an HTTP body is). */
  parsePolicy(json: unknown): P | Promise<P>;
  /** The streams replayed: ids starting with this prefix, one stream at a time. */
  streamPrefix: string;
  /** Read once before the replay (e.g. the closed business dates); keep it small. */
  prepare(pool: Pool, config: ServiceConfig): Promise<C>;
  /** Other services' topics replayed beside the store (none by default: the store alone). */
  upstream?: WhatIfUpstream;
  /**
   * One stream's events (read as the store's typed readStream reads them: `E` is the stream
   * owner's event type) as they would have been recorded under `policy` (new ones need fresh ids);
   * with `upstream` declared, also its subject's upstream events (`events` is empty for a
   * subject the store has no stream for).
   */
  replay(events: Array<StoredEvent<E>>, policy: P, context: C, upstream?: UpstreamEvents): RecordedEvent[];
  tally(): WhatIfTally;
  /**
   * The read model also holds documents no replayed stream writes (e.g. customers registered
   * upstream with no stream here): the same under any policy, copied from live as they are.
   */
  keepsDocumentsNotReplayed?: boolean;
}

export const WHAT_IF_SCENARIOS = Symbol('WHAT_IF_SCENARIOS');
