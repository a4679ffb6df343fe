import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';

/** How often each id of an event type's data field occurs in a service's event store. */
export async function storedCounts(pool: Pool, eventType: string, idField: string): Promise<Map<string, number>> {
  const { rows } = await pool.query(
    `SELECT data->>$2 AS id, count(*)::int AS n FROM events WHERE event_type = $1 GROUP BY 1`, [eventType, idField]);
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** One message of a topic as the checks read it: where it is, which event, its log position header (ADR 31). */
export interface TopicMessage { partition: number; offset: number; id: string; position: string }

/** Every message of a topic, in partition order. */
export async function readTopic(brokers: string, topic: string): Promise<TopicMessage[]> {
  const kafka = new Kafka({ clientId: 'fault-check', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const expected = ends.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  const messages: TopicMessage[] = [];
  if (expected === 0) return messages;
  const consumer = kafka.consumer({ groupId: `fault-check-${Date.now()}-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`read ${messages.length} of ${expected} messages of ${topic} in 60 s`)), 60_000);
    consumer.run({
      eachMessage: async ({ partition, message }) => {
        messages.push({ partition, offset: Number(message.offset), id: message.headers?.ce_id?.toString() ?? '', position: message.headers?.ce_logposition?.toString() ?? '' });
        if (messages.length >= expected) { clearTimeout(deadline); resolve(); }
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  return messages.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** Every event id on a topic with how often it was published (the relay is at-least-once). */
export async function publishedIds(brokers: string, topic: string): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const m of await readTopic(brokers, topic)) ids.set(m.id, (ids.get(m.id) ?? 0) + 1);
  return ids;
}

/** `<transaction>.<position>` compared as the consumers compare it (ADR 31). */
function positionAfter(a: string, b: string): boolean {
  const [ta, pa] = a.split('.').map(BigInt);
  const [tb, pb] = b.split('.').map(BigInt);
  return ta > tb || (ta === tb && pa > pb);
}

/**
 * For each id: where it is on the topic, and the highest log position published before its
 * first copy on that partition. A first copy behind a higher position is what a rebuild drops
 * as a repeat (ADR 31): the diagnosis a failed compare needs.
 */
export function positionTrail(messages: TopicMessage[], ids: string[]): string[] {
  const wanted = new Set(ids);
  const highest = new Map<number, string>();
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const m of messages) {
    if (wanted.has(m.id)) {
      const before = highest.get(m.partition);
      const behind = !seen.has(m.id) && before !== undefined && m.position !== '' && !positionAfter(m.position, before);
      lines.push(`${m.id} at [${m.partition}]@${m.offset} position ${m.position || '(none)'}${seen.has(m.id) ? ' (a repeat)' : ''}${behind ? ` BEHIND ${before} (first copy)` : ''}`);
      seen.add(m.id);
    }
    const current = highest.get(m.partition);
    if (m.position && (current === undefined || positionAfter(m.position, current))) highest.set(m.partition, m.position);
  }
  for (const id of ids) if (!seen.has(id)) lines.push(`${id} not on the topic`);
  return lines;
}

/** Where a service's relay stands, for a failed "every stored event published" check. */
export async function relayState(pool: Pool, missing: string[]): Promise<Record<string, unknown>> {
  const { rows: checkpoints } = await pool.query(
    `SELECT name, holder, transaction_id::text, global_position::text, updated_at, lease_until, now() AS now FROM relay_checkpoints`);
  const { rows: [range] } = await pool.query(
    `SELECT count(*)::int AS n, min(transaction_id::text) AS min_tx, max(transaction_id::text) AS max_tx, min(global_position) AS min_pos,
            max(global_position) AS max_pos, min(recorded_at) AS first_recorded, max(recorded_at) AS last_recorded
       FROM events WHERE event_id = ANY($1::uuid[])`, [missing]);
  const { rows: [snapshot] } = await pool.query(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`);
  const { rows: open } = await pool.query(
    `SELECT pid, datname, state, xact_start, backend_xid::text, left(query, 120) AS query FROM pg_stat_activity WHERE backend_xid IS NOT NULL ORDER BY xact_start LIMIT 3`);
  return { checkpoints, missing: range, xmin: snapshot.xmin, oldestOpen: open };
}

/** Consumers behind the end of a partition they have read from: [] once every consumer caught up. */
export async function consumersBehind(pool: Pool, brokers: string): Promise<string[]> {
  const { rows } = await pool.query(`SELECT consumer, topic, partition, "offset"::text AS "offset" FROM consumer_checkpoints`);
  const kafka = new Kafka({ clientId: 'fault-lag', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>();
  for (const topic of new Set(rows.map((r) => r.topic))) {
    for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${p.partition}`, Number(p.high));
  }
  await admin.disconnect();
  return rows.filter((r) => Number(r.offset) + 1 < (ends.get(`${r.topic}:${r.partition}`) ?? 0))
    .map((r) => `${r.consumer} on ${r.topic}[${r.partition}] at ${r.offset} of ${ends.get(`${r.topic}:${r.partition}`)}`);
}

/** Partitions of the topics whose in-sync replicas are fewer than the cluster's nodes. */
export async function underReplicated(brokers: string, topics: string[], size: number): Promise<string[]> {
  const admin = new Kafka({ clientId: 'fault-isr', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
    return metadata.flatMap((t) => t.partitions.filter((p) => p.isr.length < size).map((p) => `${t.name}[${p.partitionId}] isr ${p.isr.join(',')}`));
  } finally {
    await admin.disconnect();
  }
}
