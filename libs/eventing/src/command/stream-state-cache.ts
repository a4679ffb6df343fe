/** A stream's folded state at a version. */
export interface VersionedState<S> {
  state: S;
  version: number;
}

export interface CachedState<S> extends VersionedState<S> {
  /** Version of the newest snapshot saved or loaded for this stream (0: none). */
  snapshotVersion: number;
}

/**
 * Recently used streams' states, in this process only. Safe across replicas because every
 * use reads the stream's tail after the cached version before deciding, and the append
 * names the version it read: the cache saves the replay, never a check (ADR 12).
 * Bounded by the number of streams and by the events folded into them (a state grows with
 * its stream, so events are the measure of memory that a count of streams is not).
 */
export class StreamStateCache<S> {
  private readonly entries = new Map<string, { entry: CachedState<S>; weight: number }>();
  private weight = 0;

  constructor(private readonly capacity: number, private readonly maxEvents = Infinity) {}

  get(streamId: string): CachedState<S> | undefined {
    const slot = this.entries.get(streamId);
    if (slot) {
      // Map keeps insertion order: re-inserting marks the entry most recently used.
      this.entries.delete(streamId);
      this.entries.set(streamId, slot);
    }
    return slot?.entry;
  }

  /** Stores (or re-weighs, after a fold) the entry, then evicts the least recently used beyond either bound. */
  set(streamId: string, entry: CachedState<S>): void {
    this.drop(streamId);
    if (this.capacity <= 0) return;
    const weight = Math.max(1, entry.version);
    this.entries.set(streamId, { entry, weight });
    this.weight += weight;
    while (this.entries.size > this.capacity || (this.weight > this.maxEvents && this.entries.size > 1)) {
      this.drop(this.entries.keys().next().value!);
    }
  }

  drop(streamId: string): void {
    const slot = this.entries.get(streamId);
    if (!slot) return;
    this.entries.delete(streamId);
    this.weight -= slot.weight;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Events folded into the cached states. */
  get events(): number {
    return this.weight;
  }
}
