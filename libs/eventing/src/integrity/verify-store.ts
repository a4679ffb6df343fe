import { CHAIN_ANCHORS_STREAM, ChainHeadsAnchoredV1 } from '@crm/contracts';
import { Queryable } from '../store/sql-client';
import { ChainChecker, ChainFinding, CheckedEvent } from './chain-check';
import { CHAINED_EVENT_COLUMNS, toChainedEvent } from './event-hash';
import { headLeaf, MerkleRoot } from './merkle';

export interface AnchorCheck {
  /** The anchor event's version in the `chain-anchors` stream. */
  streamVersion: number;
  anchoredAt: string;
  root: string;
  streams: number;
  lastGlobalPosition: number;
  /** The root of the heads the store holds now for the events the anchor covered. */
  recomputedRoot: string;
  recomputedStreams: number;
  matches: boolean;
}

export interface StoreVerification {
  valid: boolean;
  events: number;
  streams: number;
  durationMs: number;
  eventsPerSecond: number;
  /** The first finding in store order (stream, version). */
  finding?: ChainFinding;
  /** Each broken stream's first finding, up to `maxFindings`. */
  findings: ChainFinding[];
  /** Absent when no anchor has been recorded yet. */
  anchor?: AnchorCheck;
}

export interface VerifyProgress {
  events: number;
  streams: number;
  eventsPerSecond: number;
}

export interface VerifyStoreOptions {
  /** Rows per keyset batch (memory stays one batch whatever the store's size). */
  batchSize?: number;
  maxFindings?: number;
  /**
   * Only one stream, or a customer's streams (their partition key): each stream's covered head
   * is then checked against the latest anchor's copy of the heads instead of the whole root.
   */
  scope?: { streamId: string } | { partitionKey: string };
  onProgress?: (progress: VerifyProgress) => void;
}

/**
 * Verifies every stream's hash chain in one pass over the store in (stream, version) order,
 * keyset batches on the stream-version index, and recomputes the Merkle root of the heads the
 * latest `ChainHeadsAnchored` covered (the events its snapshot saw): a table rewritten with
 * internally consistent chains still differs from the anchored root.
 */
export async function verifyStore(db: Queryable, options: VerifyStoreOptions = {}): Promise<StoreVerification> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 5000;
  const maxFindings = options.maxFindings ?? 20;
  const scope = options.scope;
  const anchor = await latestAnchor(db);
  const scopedHeads: Array<{ streamId: string; version: number; hash: string }> = [];
  const checker = new ChainChecker(anchor !== undefined);
  const merkle = new MerkleRoot();
  const findings: ChainFinding[] = [];
  let events = 0;
  let streams = 0;
  let head: { streamId: string; version: number; hash: string } | undefined;
  let current: string | undefined;
  const closeStream = () => {
    if (head) merkle.add(headLeaf(head.streamId, head.version, head.hash));
    if (head && scope) scopedHeads.push(head);
    head = undefined;
  };
  let after = { stream: '', version: 0 };
  let lastReport = started;
  for (;;) {
    const params: unknown[] = [after.stream, after.version, anchor?.data.snapshot ?? null];
    const only = !scope ? '' : 'streamId' in scope ? 'AND stream_id = $4' : 'AND partition_key = $4';
    if (scope) params.push('streamId' in scope ? scope.streamId : scope.partitionKey);
    const { rows } = await db.query(
      `SELECT ${CHAINED_EVENT_COLUMNS},
              coalesce(pg_visible_in_snapshot(transaction_id, $3::pg_snapshot), false) AS anchored
         FROM events WHERE (stream_id, stream_version) > ($1, $2) ${only}
        ORDER BY stream_id, stream_version LIMIT ${batchSize}`, params);
    for (const r of rows) {
      const row: CheckedEvent = { ...toChainedEvent(r), anchored: r.anchored };
      if (row.streamId !== current) {
        closeStream();
        current = row.streamId;
        streams += 1;
      }
      if (row.anchored) head = { streamId: row.streamId, version: row.streamVersion, hash: row.hash };
      events += 1;
      if (findings.length < maxFindings) findings.push(...checker.add(row));
    }
    if (rows.length > 0) {
      const last = rows[rows.length - 1];
      after = { stream: last.stream_id, version: last.stream_version };
    }
    if (options.onProgress && Date.now() - lastReport >= 1000) {
      lastReport = Date.now();
      options.onProgress({ events, streams, eventsPerSecond: rate(events, started) });
    }
    if (rows.length < batchSize) break;
  }
  closeStream();
  if (findings.length < maxFindings) findings.push(...checker.end());
  if (scope) {
    findings.push(...await scopedHeadDifferences(db, scopedHeads));
    const durationMs = Date.now() - started;
    return { valid: findings.length === 0, events, streams, durationMs, eventsPerSecond: rate(events, started), finding: findings[0], findings };
  }
  const anchorCheck = anchor && await checkAnchor(db, anchor, merkle);
  if (anchorCheck && !anchorCheck.check.matches && anchorCheck.finding) findings.push(anchorCheck.finding);
  const durationMs = Date.now() - started;
  return {
    valid: findings.length === 0 && (anchorCheck?.check.matches ?? true),
    events, streams, durationMs, eventsPerSecond: rate(events, started),
    finding: findings[0], findings: findings.slice(0, maxFindings),
    ...(anchorCheck ? { anchor: anchorCheck.check } : {}),
  };
}

function rate(events: number, started: number): number {
  const seconds = (Date.now() - started) / 1000;
  return seconds > 0 ? Math.round(events / seconds) : events;
}

async function latestAnchor(db: Queryable): Promise<{ streamVersion: number; data: ChainHeadsAnchoredV1 } | undefined> {
  const { rows } = await db.query(
    `SELECT stream_version, data FROM events WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1`, [CHAIN_ANCHORS_STREAM]);
  return rows[0] && { streamVersion: rows[0].stream_version, data: rows[0].data };
}

async function checkAnchor(db: Queryable, anchor: { streamVersion: number; data: ChainHeadsAnchoredV1 }, merkle: MerkleRoot) {
  const recomputedRoot = merkle.root();
  const check: AnchorCheck = {
    streamVersion: anchor.streamVersion, anchoredAt: anchor.data.anchoredAt, root: anchor.data.root, streams: anchor.data.streams,
    lastGlobalPosition: anchor.data.lastGlobalPosition, recomputedRoot, recomputedStreams: merkle.leaves, matches: recomputedRoot === anchor.data.root,
  };
  if (check.matches) return { check };
  return { check, finding: await firstHeadDifference(db, anchor.data) };
}

/**
 * Which stream's head differs from the anchored one, from the anchor's copy of its heads
 * (believed only when that copy still hashes to the anchored root).
 */
async function firstHeadDifference(db: Queryable, anchor: ChainHeadsAnchoredV1): Promise<ChainFinding> {
  const copy = new MerkleRoot();
  let after = '';
  for (;;) {
    const { rows } = await db.query(
      'SELECT stream_id, stream_version, hash FROM chain_anchor_heads WHERE stream_id > $1 ORDER BY stream_id LIMIT 5000', [after]);
    for (const r of rows) copy.add(headLeaf(r.stream_id, r.stream_version, r.hash));
    if (rows.length < 5000) break;
    after = rows[rows.length - 1].stream_id;
  }
  const whole = `the store's stream heads no longer hash to the root anchored at ${anchor.anchoredAt} (${anchor.root.slice(0, 12)})`;
  if (copy.root() !== anchor.root) {
    return { kind: 'altered', streamId: CHAIN_ANCHORS_STREAM, streamVersion: 0, detail: `${whole}; the anchor's copy of the heads was changed too, so the stream cannot be named` };
  }
  const { rows: [d] } = await db.query(
    `WITH now_heads AS (
       SELECT DISTINCT ON (stream_id) stream_id, stream_version, hash FROM events
        WHERE pg_visible_in_snapshot(transaction_id, $1::pg_snapshot) ORDER BY stream_id, stream_version DESC)
     SELECT coalesce(a.stream_id, n.stream_id) AS stream_id, a.stream_version AS anchored_version, a.hash AS anchored_hash,
            n.stream_version AS version, n.hash
       FROM chain_anchor_heads a FULL JOIN now_heads n ON n.stream_id = a.stream_id
      WHERE a.hash IS DISTINCT FROM n.hash OR a.stream_version IS DISTINCT FROM n.stream_version
      ORDER BY 1 LIMIT 1`, [anchor.snapshot]);
  if (!d) return { kind: 'altered', streamId: CHAIN_ANCHORS_STREAM, streamVersion: 0, detail: `${whole}, though every head matches its copy: the order or set of streams changed` };
  if (d.version === null) {
    return { kind: 'removed', streamId: d.stream_id, streamVersion: 1, detail: `${whole}: the stream had ${d.anchored_version} events when anchored and has none now` };
  }
  if (d.anchored_version === null) {
    return { kind: 'inserted', streamId: d.stream_id, streamVersion: 1, detail: `${whole}: the stream did not exist when anchored but has ${d.version} events marked as covered by the anchor` };
  }
  if (d.version < d.anchored_version) {
    return { kind: 'removed', streamId: d.stream_id, streamVersion: d.version + 1, detail: `${whole}: anchored at version ${d.anchored_version}, the stream now ends at ${d.version}` };
  }
  if (d.version > d.anchored_version) {
    return { kind: 'inserted', streamId: d.stream_id, streamVersion: d.anchored_version + 1, detail: `${whole}: anchored at version ${d.anchored_version}, the stream now has ${d.version} events covered by the anchor` };
  }
  return {
    kind: 'altered', streamId: d.stream_id, streamVersion: d.version,
    detail: `${whole}: the head at version ${d.version} was hashed ${d.anchored_hash.slice(0, 12)} when anchored and is ${d.hash.slice(0, 12)} now (the stream was rewritten with a consistent chain)`,
  };
}

/** A scoped check: each stream's covered head against the anchor's copy of it. */
async function scopedHeadDifferences(db: Queryable, heads: Array<{ streamId: string; version: number; hash: string }>): Promise<ChainFinding[]> {
  if (heads.length === 0) return [];
  const { rows } = await db.query('SELECT stream_id, stream_version, hash FROM chain_anchor_heads WHERE stream_id = ANY($1)', [heads.map((h) => h.streamId)]);
  const copy = new Map(rows.map((r) => [r.stream_id as string, r]));
  return heads.flatMap((h): ChainFinding[] => {
    const anchored = copy.get(h.streamId);
    if (!anchored || (anchored.stream_version === h.version && anchored.hash === h.hash)) return [];
    const kind = h.version < anchored.stream_version ? 'removed' : h.version > anchored.stream_version ? 'inserted' : 'altered';
    return [{ kind, streamId: h.streamId, streamVersion: Math.min(h.version, anchored.stream_version),
      detail: `the latest anchor covered version ${anchored.stream_version} (${String(anchored.hash).slice(0, 12)}); the store's covered head is version ${h.version} (${h.hash.slice(0, 12)})` }];
  });
}
