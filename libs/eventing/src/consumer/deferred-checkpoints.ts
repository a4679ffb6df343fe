export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Checkpoints a consumer owes for batches it had nothing to do with: the highest offset per
 * partition, written together after `delayMs` (or by `flush`, on stop), one statement for all.
 * A failed write keeps them for the next try, unless a higher offset came meanwhile.
 */
export class DeferredCheckpoints {
  private readonly pending = new Map<string, PartitionOffset>();
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (offsets: PartitionOffset[]) => Promise<void>,
    private readonly delayMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  add(offset: PartitionOffset): void {
    this.keepHighest(offset);
    this.timer ??= setTimeout(() => void this.flush(), this.delayMs).unref();
  }

  /** Writes what is pending now (after any write under way). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(() => this.writePending());
    return this.writing;
  }

  get size(): number {
    return this.pending.size;
  }

  private async writePending(): Promise<void> {
    const offsets = [...this.pending.values()];
    this.pending.clear();
    if (offsets.length === 0) return;
    try {
      await this.write(offsets);
    } catch (error) {
      this.onError(error);
      for (const offset of offsets) this.add(offset);
    }
  }

  private keepHighest(offset: PartitionOffset): void {
    const key = `${offset.topic}\u0000${offset.partition}`;
    const known = this.pending.get(key);
    if (!known || BigInt(known.offset) < BigInt(offset.offset)) this.pending.set(key, offset);
  }
}
