import { ChainedEvent, eventHash } from './event-hash';

/** One row of the store as the whole-store check reads it. */
export interface CheckedEvent extends ChainedEvent {
  globalPosition: string;
  /** Covered by the latest anchor (its transaction was visible to the anchor's snapshot). */
  anchored: boolean;
}

export type ChainFindingKind = 'altered' | 'removed' | 'inserted';

/** The first thing wrong with a stream: which event, and what differs. */
export interface ChainFinding {
  kind: ChainFindingKind;
  streamId: string;
  streamVersion: number;
  eventId?: string;
  globalPosition?: string;
  detail: string;
}

/**
 * Checks every stream's hash chain from rows fed in (stream, version) order, holding one
 * stream's last hash and at most one suspect row. A row whose hash does not match is judged
 * by its successor: still chaining to its stored hash means the content was edited under an
 * intact seal (altered); the successor chaining past it, or a row the latest anchor did not
 * cover with a hash that chains to nothing, means it was put there (inserted). A version gap
 * is a removal. Each stream's first finding only. Pure: no I/O, the caller streams rows in.
 */
export class ChainChecker {
  private stream?: string;
  private previousHash = '';
  private expectedVersion = 1;
  private suspect?: { row: CheckedEvent; computed: string; previousHash: string };
  /** This stream already has its finding: the rest of it is skipped. */
  private judged = false;

  constructor(private readonly anchorExists: boolean) {}

  /** Feeds the next row; returns what it settles (a stream's first finding, at most one per stream). */
  add(row: CheckedEvent): ChainFinding[] {
    const findings: ChainFinding[] = [];
    if (row.streamId !== this.stream) {
      const last = this.endStream();
      if (last) findings.push(last);
      this.stream = row.streamId;
      this.previousHash = '';
      this.expectedVersion = 1;
      this.judged = false;
    }
    if (this.judged) return findings;
    const finding = this.check(row);
    if (finding) {
      this.judged = true;
      findings.push(finding);
    }
    return findings;
  }

  /** No more rows: judges a suspect that ended the last stream. */
  end(): ChainFinding[] {
    const last = this.endStream();
    return last ? [last] : [];
  }

  private check(row: CheckedEvent): ChainFinding | undefined {
    if (this.suspect) return this.judgeSuspect(row);
    if (row.streamVersion > this.expectedVersion) {
      const missing = this.expectedVersion === row.streamVersion - 1 ? `version ${this.expectedVersion} is` : `versions ${this.expectedVersion}–${row.streamVersion - 1} are`;
      return {
        kind: 'removed', streamId: row.streamId, streamVersion: this.expectedVersion,
        detail: `${missing} missing: the stream goes from version ${this.expectedVersion - 1} to ${row.streamVersion}`,
      };
    }
    const computed = eventHash(this.previousHash, row);
    if (computed !== row.hash) this.suspect = { row, computed, previousHash: this.previousHash };
    this.previousHash = row.hash;
    this.expectedVersion = row.streamVersion + 1;
    return undefined;
  }

  private endStream(): ChainFinding | undefined {
    if (!this.suspect) return undefined;
    const { row, computed } = this.suspect;
    this.suspect = undefined;
    return !row.anchored && this.anchorExists
      ? inserted(row, `added after the latest anchor, and its hash ${short(row.hash)} does not chain to version ${row.streamVersion - 1} (expected ${short(computed)})`)
      : altered(row, computed, 'it is the last event of its stream');
  }

  private judgeSuspect(next: CheckedEvent): ChainFinding {
    const { row, computed, previousHash } = this.suspect!;
    this.suspect = undefined;
    if (next.streamVersion === row.streamVersion + 1 && eventHash(row.hash, next) === next.hash) {
      return altered(row, computed, `version ${next.streamVersion} still chains to the stored hash`);
    }
    if (next.streamVersion === row.streamVersion + 1 && eventHash(previousHash, { ...next, streamVersion: row.streamVersion }) === next.hash) {
      return inserted(row, `not part of the chain: the next event was written as version ${row.streamVersion} and renumbered after it`);
    }
    if (!row.anchored && this.anchorExists) {
      return inserted(row, `added after the latest anchor, and its hash ${short(row.hash)} does not chain to version ${row.streamVersion - 1}`);
    }
    return altered(row, computed, 'neither it nor the next event chains');
  }
}

function altered(row: CheckedEvent, computed: string, why: string): ChainFinding {
  return {
    kind: 'altered', streamId: row.streamId, streamVersion: row.streamVersion, eventId: row.eventId, globalPosition: row.globalPosition,
    detail: `content (type, data, metadata or time) no longer matches its hash: stored ${short(row.hash)}, content hashes to ${short(computed)}; ${why}`,
  };
}

function inserted(row: CheckedEvent, detail: string): ChainFinding {
  return { kind: 'inserted', streamId: row.streamId, streamVersion: row.streamVersion, eventId: row.eventId, globalPosition: row.globalPosition, detail };
}

function short(hash: string): string {
  return hash.slice(0, 12);
}
