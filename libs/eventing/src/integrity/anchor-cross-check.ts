import { canonicalJson, CHAIN_ANCHORS_STREAM } from '@crm/contracts';
import { Queryable } from '../store/sql-client';
import { fromKafkaMessage } from '../transport/cloud-event-mapping';
import { Transport } from '../transport/transport';
import { ChainFinding } from './chain-check';

/** What the anchors' copies on the service's topic said about the stored anchors. */
export interface AnchorCrossCheck {
  topic: string;
  /** Anchor messages read from the topic (only the anchors' key, from the checked anchor's time on). */
  published: number;
  /** The stored anchor the read started from (the latest one the relay has published), null when none is stored. */
  checkedFrom: number | null;
  /** Stored anchors not published yet (the relay is behind): not judged. */
  unpublished: number;
  findings: ChainFinding[];
}

export interface AnchorCrossCheckOptions {
  /** How far back to read the topic when no published anchor is stored (ms); default 2 days. */
  lookbackMs?: number;
  /** Allowance for clocks between the database and the broker (ms); default 5 minutes. */
  skewMs?: number;
  now?: number;
}

/**
 * Cross-checks the stored chain anchors against their copies on the service's own topic, so a
 * rewrite of the anchor rows (with hashes recomputed to chain) is a finding too. Bounded: only
 * the anchors' key's partition is read, and only from the time of the latest stored anchor the
 * relay has published (minus a clock allowance): that anchor must be there unchanged, and
 * every later anchor on the topic must be stored unchanged. An anchor on the topic that the
 * table lacks is *removed*; one that differs, or a published anchor the topic lacks, *altered*.
 * Older anchors are covered by the anchor stream's own hash chain, which the newest checked one
 * seals.
 */
export async function crossCheckAnchors(db: Queryable, transport: Transport, topic: string, options: AnchorCrossCheckOptions = {}): Promise<AnchorCrossCheck> {
  const now = options.now ?? Date.now();
  const skewMs = options.skewMs ?? 5 * 60_000;
  const { rows: [relay] } = await db.query('SELECT coalesce(max(global_position), 0)::bigint AS published FROM relay_checkpoints');
  const published = BigInt(relay.published);
  const { rows: stored } = await db.query(
    `SELECT event_id, stream_version, global_position::text AS global_position, data, recorded_at FROM events
      WHERE stream_id = $1 AND stream_version >= coalesce((
        SELECT max(stream_version) FROM events WHERE stream_id = $1 AND global_position <= $2), 0)
      ORDER BY stream_version`, [CHAIN_ANCHORS_STREAM, published.toString()]);
  const checked = stored.find((r) => BigInt(r.global_position) <= published);
  const unpublished = stored.filter((r) => BigInt(r.global_position) > published).length;
  // The earlier of the row's recorded time and the anchor's own time: either may have been edited.
  const since = checked
    ? Math.min(new Date(checked.recorded_at).getTime(), Date.parse(checked.data?.anchoredAt) || Infinity) - skewMs
    : now - (options.lookbackMs ?? 2 * 24 * 3600_000);
  const messages = await transport.readKeySince(topic, CHAIN_ANCHORS_STREAM, Number.isFinite(since) ? since : 0);
  const onTopic = messages.map(fromKafkaMessage).filter((e) => e.type === 'ChainHeadsAnchored' && e.streamId === CHAIN_ANCHORS_STREAM);
  const byVersion = new Map(stored.map((r) => [Number(r.stream_version), r]));
  // Copies older than the checked anchor (read for the clock allowance): their rows, looked up by version.
  const older = onTopic.map((e) => e.streamVersion).filter((v) => !byVersion.has(v));
  if (older.length > 0) {
    const { rows } = await db.query(
      `SELECT event_id, stream_version, global_position::text AS global_position, data FROM events WHERE stream_id = $1 AND stream_version = ANY($2::int[])`,
      [CHAIN_ANCHORS_STREAM, older]);
    rows.forEach((r) => byVersion.set(Number(r.stream_version), r));
  }
  const findings: ChainFinding[] = [];
  for (const copy of onTopic) {
    const row = byVersion.get(copy.streamVersion);
    const at = { streamId: CHAIN_ANCHORS_STREAM, streamVersion: copy.streamVersion, eventId: copy.id };
    if (!row) {
      findings.push({ kind: 'removed', ...at, detail: `anchor #${copy.streamVersion} (event ${copy.id}) is on ${topic} but not in the store` });
    } else if (row.event_id !== copy.id || canonicalJson(row.data) !== canonicalJson(copy.data)) {
      const fields = row.event_id !== copy.id ? ['id'] : Object.keys({ ...row.data, ...copy.data })
        .filter((k) => canonicalJson(row.data?.[k]) !== canonicalJson((copy.data as Record<string, unknown>)[k])).sort();
      findings.push({ kind: 'altered', ...at, globalPosition: row.global_position,
        detail: `the stored anchor #${copy.streamVersion} differs from its copy on ${topic} in ${fields.join(', ')}` });
    }
  }
  if (checked && !onTopic.some((e) => e.streamVersion === Number(checked.stream_version))) {
    findings.push({ kind: 'altered', streamId: CHAIN_ANCHORS_STREAM, streamVersion: Number(checked.stream_version), eventId: checked.event_id,
      globalPosition: checked.global_position, detail: `the stored anchor #${checked.stream_version} was published, yet ${topic} holds no such anchor from its time on` });
  }
  return { topic, published: onTopic.length, checkedFrom: checked ? Number(checked.stream_version) : null, unpublished, findings };
}
