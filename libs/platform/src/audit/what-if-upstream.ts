import { randomBytes } from 'node:crypto';
import { EventEnvelope } from '@crm/contracts';
import { fromKafkaMessage, IncomingMessage, MalformedEventError, Transport, UpcasterRegistry } from '@crm/eventing';
import { Pool } from 'pg';

/** Subjects asked for at a time when looking for those the store has no stream of. */
const SUBJECT_PAGE = 1000;

/** The scratch table of upstream events: one row per event id (a relay's repeat is kept once), read by subject. */
export function upstreamTableDdl(table: string): string {
  return `CREATE TABLE ${table} (
      id text PRIMARY KEY, subject text NOT NULL, topic text NOT NULL, partition int NOT NULL, "offset" bigint NOT NULL,
      recorded_at text, envelope jsonb NOT NULL);
    CREATE INDEX ON ${table} (subject, topic, partition, "offset");`;
}

export interface UpstreamCopy { events: number; malformed: number }

/**
 * Copies every event of the topics, from offset zero to the end each partition had when the
 * copy started, into the scratch table: a throwaway consumer group (deleted afterwards), one
 * multi-row insert per fetched batch, so memory holds one batch whatever the topic's size.
 * Events are upcast as the service's consumers upcast them; a message that is no CloudEvent
 * (what a consumer parks) is counted and left out.
 */
export async function copyUpstreamTopics(input: {
  pool: Pool; transport: Transport; upcasters: UpcasterRegistry; topics: string[]; table: string; groupPrefix: string;
  onProgress?: (copied: number) => void;
}): Promise<UpstreamCopy> {
  const { pool, transport, topics, table } = input;
  const ends = new Map<string, bigint>();
  for (const topic of topics) {
    for (const { partition, offset } of await transport.endOffsets(topic)) if (BigInt(offset) > 0n) ends.set(`${topic}/${partition}`, BigInt(offset));
  }
  const copied: UpstreamCopy = { events: 0, malformed: 0 };
  if (ends.size === 0) return copied;
  const groupId = `${input.groupPrefix}.what-if.upstream.${randomBytes(4).toString('hex')}`;
  let finish: () => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => { [finish, fail] = [resolve, reject]; });
  const subscription = await transport.subscribe({
    groupId, topics, fromBeginning: true,
    async eachBatch(batch, control) {
      const key = `${batch.topic}/${batch.partition}`;
      const end = ends.get(key);
      if (end === undefined) return;
      const wanted = batch.messages.filter((m) => BigInt(m.offset) < end);
      try {
        const envelopes = wanted.flatMap((m) => decoded(m, input.upcasters, copied));
        await insertUpstream(pool, table, envelopes);
        copied.events += envelopes.length;
      } catch (error) {
        fail(error);
        return;
      }
      input.onProgress?.(copied.events);
      const last = batch.messages[batch.messages.length - 1];
      if (last) control.resolveOffset(last.offset);
      if (wanted.length < batch.messages.length || (last && BigInt(last.offset) + 1n >= end)) {
        ends.delete(key);
        if (ends.size === 0) finish();
      }
    },
  });
  try {
    await done;
  } finally {
    await subscription.stop().catch(() => undefined);
    await transport.deleteGroup(groupId).catch(() => undefined);
  }
  return copied;
}

function decoded(message: IncomingMessage, upcasters: UpcasterRegistry, copied: UpstreamCopy): Array<{ message: IncomingMessage; envelope: EventEnvelope }> {
  try {
    return [{ message, envelope: upcasters.upcast(fromKafkaMessage(message)) }];
  } catch (error) {
    if (!(error instanceof MalformedEventError || error instanceof SyntaxError)) throw error;
    copied.malformed += 1;
    return [];
  }
}

/** One statement for the whole batch (arrays unnested), whatever its size. */
async function insertUpstream(pool: Pool, table: string, rows: Array<{ message: IncomingMessage; envelope: EventEnvelope }>): Promise<void> {
  if (rows.length === 0) return;
  await pool.query(
    `INSERT INTO ${table} (id, subject, topic, partition, "offset", recorded_at, envelope)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::text[], $7::jsonb[])
     ON CONFLICT (id) DO NOTHING`,
    [rows.map((r) => r.envelope.id), rows.map((r) => r.envelope.subject ?? r.message.key ?? ''), rows.map((r) => r.message.topic),
      rows.map((r) => r.message.partition), rows.map((r) => r.message.offset), rows.map((r) => r.envelope.recordedAt ?? r.envelope.time ?? null),
      rows.map((r) => JSON.stringify(r.envelope))]);
}

/** One subject's upstream events, each topic's in its order: one range of the table's index. */
export async function upstreamOfSubject(pool: Pool, table: string, subject: string): Promise<EventEnvelope[]> {
  const { rows } = await pool.query(`SELECT envelope FROM ${table} WHERE subject = $1 ORDER BY topic, partition, "offset"`, [subject]);
  return rows.map((r) => r.envelope);
}

/**
 * The subjects with upstream events whose stream (`streamOf`) the store does not hold, in
 * keyset pages of the table's index: what live never recorded anything for.
 */
export async function* subjectsWithoutStream(pool: Pool, table: string, streamOf: (subject: string) => string): AsyncGenerator<string> {
  let after = '';
  for (;;) {
    const { rows } = await pool.query(`SELECT DISTINCT subject FROM ${table} WHERE subject > $1 ORDER BY subject LIMIT ${SUBJECT_PAGE}`, [after]);
    if (rows.length === 0) return;
    const subjects: string[] = rows.map((r) => r.subject);
    const { rows: existing } = await pool.query('SELECT DISTINCT stream_id FROM events WHERE stream_id = ANY($1::text[])', [subjects.map(streamOf)]);
    const known = new Set(existing.map((r) => r.stream_id));
    for (const subject of subjects) if (!known.has(streamOf(subject))) yield subject;
    after = subjects[subjects.length - 1];
  }
}
