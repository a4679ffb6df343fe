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
 */
export class StreamStateCache<S> {
  private readonly entries = new Map<string, CachedState<S>>();

  constructor(private readonly capacity: number) {}

  get(streamId: string): CachedState<S> | undefined {
    const entry = this.entries.get(streamId);
    if (entry) {
      // Map keeps insertion order: re-inserting marks the entry most recently used.
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
    }
    return entry;
  }

  set(streamId: string, entry: CachedState<S>): void {
    if (this.capacity <= 0) return;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  drop(streamId: string): void {
    this.entries.delete(streamId);
  }

  get size(): number {
    return this.entries.size;
  }
}
