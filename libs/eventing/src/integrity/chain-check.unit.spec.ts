import { ChainChecker, CheckedEvent } from './chain-check';
import { eventHash } from './event-hash';

/** A valid chain of `n` events in one stream, as the store writes it. */
function chain(streamId: string, n: number, anchored = true): CheckedEvent[] {
  const rows: CheckedEvent[] = [];
  let previous = '';
  for (let v = 1; v <= n; v += 1) {
    const body = { streamId, streamVersion: v, eventId: `e-${streamId}-${v}`, eventType: 'Noted', schemaVersion: 1,
      data: `{"n": ${v}}`, metadata: '{}', occurredAt: '2026-11-24T10:00:00.000Z' };
    const hash = eventHash(previous, body);
    rows.push({ ...body, hash, globalPosition: String(v), anchored });
    previous = hash;
  }
  return rows;
}

function check(rows: CheckedEvent[], anchorExists = true) {
  const checker = new ChainChecker(anchorExists);
  return [...rows.flatMap((r) => checker.add(r)), ...checker.end()];
}

describe('ChainChecker', () => {
  it('finds nothing in intact chains', () => {
    expect(check([...chain('a', 4), ...chain('b', 1), ...chain('c', 3)])).toEqual([]);
  });

  it('names an event whose content was edited under its stored hash as altered', () => {
    const rows = chain('a', 4);
    rows[1] = { ...rows[1], data: '{"n": 999}' };
    expect(check(rows)).toEqual([expect.objectContaining({ kind: 'altered', streamId: 'a', streamVersion: 2, eventId: 'e-a-2' })]);
    expect(check(rows)[0].detail).toMatch(/version 3 still chains to the stored hash/);
  });

  it('names an edited last event as altered when the anchor covered it', () => {
    const rows = chain('a', 3);
    rows[2] = { ...rows[2], eventType: 'Forged' };
    expect(check(rows)).toEqual([expect.objectContaining({ kind: 'altered', streamVersion: 3 })]);
  });

  it('names a version gap as removed', () => {
    const rows = chain('a', 5);
    expect(check([...rows.slice(0, 2), ...rows.slice(3)])).toEqual([expect.objectContaining({ kind: 'removed', streamId: 'a', streamVersion: 3 })]);
    expect(check(rows.slice(2))).toEqual([expect.objectContaining({ kind: 'removed', streamVersion: 1, detail: expect.stringMatching(/versions 1–2 are missing/) })]);
  });

  it('names a row added after the anchor with a hash that chains to nothing as inserted', () => {
    const rows = chain('a', 3);
    const forged = { ...rows[2], streamVersion: 4, eventId: 'forged', hash: 'f'.repeat(64), anchored: false };
    expect(check([...rows, forged])).toEqual([expect.objectContaining({ kind: 'inserted', streamVersion: 4, eventId: 'forged' })]);
  });

  it('names a row slipped in before renumbered successors as inserted', () => {
    const rows = chain('a', 3);
    const forged: CheckedEvent = { ...rows[1], eventId: 'forged', data: '{"forged": true}', hash: '0'.repeat(64), anchored: true };
    const shifted = rows.slice(1).map((r) => ({ ...r, streamVersion: r.streamVersion + 1 }));
    expect(check([rows[0], forged, ...shifted])).toEqual([expect.objectContaining({ kind: 'inserted', streamVersion: 2, eventId: 'forged' })]);
  });

  it('reports the first finding of each broken stream, in store order', () => {
    const a = chain('a', 3);
    const b = chain('b', 3);
    a[0] = { ...a[0], metadata: '{"actor": "mallory"}' };
    const findings = check([...a, ...b.slice(0, 1), ...b.slice(2)]);
    expect(findings.map((f) => [f.kind, f.streamId, f.streamVersion])).toEqual([['altered', 'a', 1], ['removed', 'b', 2]]);
  });
});
