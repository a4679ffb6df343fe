import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';

/** How often each id of an event type's data field occurs in a service's event store. */
export async function storedCounts(pool: Pool, eventType: string, idField: string): Promise<Map<string, number>> {
  const { rows } = await pool.query(
    `SELECT data->>$2 AS id, count(*)::int AS n FROM events WHERE event_type = $1 GROUP BY 1`, [eventType, idField]);
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** Every event id on a topic with how often it was published (the relay is at-least-once). */
export async function publishedIds(brokers: string, topic: string): Promise<Map<string, number>> {
  const kafka = new Kafka({ clientId: 'fault-check', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const expected = ends.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  const ids = new Map<string, number>();
  if (expected === 0) return ids;
  const consumer = kafka.consumer({ groupId: `fault-check-${Date.now()}-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`read ${seen} of ${expected} messages of ${topic} in 60 s`)), 60_000);
    consumer.run({
      eachMessage: async ({ message }) => {
        const id = message.headers?.ce_id?.toString() ?? '';
        ids.set(id, (ids.get(id) ?? 0) + 1);
        if (++seen >= expected) { clearTimeout(deadline); resolve(); }
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  return ids;
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
