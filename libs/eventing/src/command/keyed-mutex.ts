/**
 * One holder at a time per key, in this process (first come, first served). Commands on one
 * stream then run one after another here, so a state changed ahead of its append is never
 * seen by another command; other replicas are kept apart by the append's expected version.
 */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      // The last holder leaves no entry behind: the map holds only keys in use.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  get keysInUse(): number {
    return this.tails.size;
  }
}
