import { createHash } from 'node:crypto';

/**
 * A Merkle root over chain heads fed in order, in O(log n) memory (RFC 6962's tree: leaves
 * and inner nodes hashed with distinct prefixes, so no leaf can pose as a node). The heads of
 * a million streams never have to be held at once.
 */
export class MerkleRoot {
  /** Perfect subtrees still waiting for a sibling: [size, hash], sizes strictly decreasing. */
  private readonly stack: Array<[number, Buffer]> = [];
  private count = 0;

  add(leaf: string): void {
    let node: [number, Buffer] = [1, createHash('sha256').update(Buffer.from([0])).update(leaf, 'utf8').digest()];
    while (this.stack.length > 0 && this.stack[this.stack.length - 1][0] === node[0]) {
      const [size, left] = this.stack.pop()!;
      node = [size * 2, innerHash(left, node[1])];
    }
    this.stack.push(node);
    this.count += 1;
  }

  get leaves(): number {
    return this.count;
  }

  /** Hex root; the hash of nothing for no leaves. */
  root(): string {
    if (this.stack.length === 0) return createHash('sha256').digest('hex');
    let right = this.stack[this.stack.length - 1][1];
    for (let i = this.stack.length - 2; i >= 0; i -= 1) right = innerHash(this.stack[i][1], right);
    return right.toString('hex');
  }
}

function innerHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(Buffer.from([1])).update(left).update(right).digest();
}

/** What a leaf commits to: the stream, its head version and the head's hash (which chains all before it). */
export function headLeaf(streamId: string, streamVersion: number, hash: string): string {
  return `${streamId}|${streamVersion}|${hash}`;
}

/** The root as RFC 6962 defines it recursively: the reference the streaming form is tested against. */
export function merkleRootOf(leaves: string[]): string {
  const hashes = leaves.map((leaf) => createHash('sha256').update(Buffer.from([0])).update(leaf, 'utf8').digest());
  if (hashes.length === 0) return createHash('sha256').digest('hex');
  const tree = (from: number, to: number): Buffer => {
    if (to - from === 1) return hashes[from];
    let split = 1;
    while (split * 2 < to - from) split *= 2;
    return innerHash(tree(from, from + split), tree(from + split, to));
  };
  return tree(0, hashes.length).toString('hex');
}
