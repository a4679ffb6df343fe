/**
 * The document keys a rebuild has written into shadow tables it created empty, kept by this
 * process: a key it has not written cannot have a document yet, so the batch need not look it
 * up (in a rebuild most keys are new: the lookup was about a quarter of PostgreSQL's time per
 * batch). A bit per hash of the key, 2 MB whatever the number of keys: two keys sharing a bit
 * only cost a lookup that finds nothing, never a skipped one. Valid only while no other process
 * writes the tables: a resumed rebuild (tables already filled) looks every key up.
 */
export class WrittenKeys {
  private readonly bits = new Uint32Array(1 << 19);

  mark(key: string): void {
    const h = hash24(key);
    this.bits[h >>> 5] |= 1 << (h & 31);
  }

  /** False only for a key never marked. */
  mayHave(key: string): boolean {
    const h = hash24(key);
    return (this.bits[h >>> 5] & (1 << (h & 31))) !== 0;
  }
}

/** FNV-1a over the UTF-16 code units, folded to 24 bits. */
function hash24(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return ((h >>> 24) ^ h) & 0xffffff;
}
