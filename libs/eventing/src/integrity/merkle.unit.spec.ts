import { headLeaf, MerkleRoot, merkleRootOf } from './merkle';

describe('MerkleRoot (streaming, O(log n) memory)', () => {
  it.each([0, 1, 2, 3, 5, 8, 13, 64, 100])('equals the recursive RFC 6962 root for %i leaves', (n) => {
    const leaves = Array.from({ length: n }, (_, i) => headLeaf(`s-${i}`, i + 1, `h${i}`));
    const streaming = new MerkleRoot();
    leaves.forEach((l) => streaming.add(l));
    expect(streaming.root()).toBe(merkleRootOf(leaves));
    expect(streaming.leaves).toBe(n);
  });

  it('changes with any head, and with the order of the heads', () => {
    const leaves = Array.from({ length: 7 }, (_, i) => headLeaf(`s-${i}`, 3, `h${i}`));
    const base = merkleRootOf(leaves);
    expect(merkleRootOf(leaves.map((l, i) => (i === 4 ? headLeaf('s-4', 3, 'other') : l)))).not.toBe(base);
    expect(merkleRootOf(leaves.map((l, i) => (i === 6 ? headLeaf('s-6', 2, 'h6') : l)))).not.toBe(base);
    expect(merkleRootOf([leaves[1], leaves[0], ...leaves.slice(2)])).not.toBe(base);
    expect(merkleRootOf(leaves.slice(0, 6))).not.toBe(base);
  });
});
