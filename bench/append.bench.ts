import { randomUUID } from 'node:crypto';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { Pool } from 'pg';
import { NewEvent, PostgresEventStore } from '@crm/eventing';

const metadata = { actor: { id: 'bench', roles: ['admin'] }, correlationId: 'bench', causationId: 'bench' };
const STREAMS_PER_WRITER = 50;

export interface AppendCase { writers: number; eventsPerCommand: number; commandsPerWriter: number }
export interface AppendFigures { ours: number; rawInsert: number; emmett: number }

function newEvents(n: number, version: number): NewEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    id: randomUUID(), type: 'CustomerRegistered', schemaVersion: 1, occurredAt: '2026-11-24T00:00:00.000Z',
    data: { customerId: randomUUID(), kind: 'company', legalName: `Bench ${version + i}`, tags: ['bench'] },
  }));
}

/**
 * Runs `writers` concurrent loops of `commandsPerWriter` appends each; returns events/s.
 * A short unmeasured warm-up first (connections, plans, PL/pgSQL compilation), on other streams.
 */
async function measure(c: AppendCase, appendOne: (writer: number, command: number, version: number) => Promise<void>): Promise<number> {
  await Promise.all(Array.from({ length: c.writers }, async (_, w) => {
    for (let i = 0; i < 20; i++) await appendOne(w + 1000, i, Math.floor(i / STREAMS_PER_WRITER) * c.eventsPerCommand);
  }));
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: c.writers }, async (_, w) => {
    for (let i = 0; i < c.commandsPerWriter; i++) {
      const version = Math.floor(i / STREAMS_PER_WRITER) * c.eventsPerCommand;
      await appendOne(w, i, version);
    }
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return Math.round((c.writers * c.commandsPerWriter * c.eventsPerCommand) / seconds);
}

export async function benchAppend(databaseUrl: string, c: AppendCase): Promise<AppendFigures> {
  const pool = new Pool({ connectionString: databaseUrl, max: c.writers + 2 });
  const run = randomUUID().slice(0, 8);
  const stream = (w: number, i: number) => `bench-${run}-${w}-${i % STREAMS_PER_WRITER}`;
  const store = new PostgresEventStore(pool);
  const ours = await measure(c, async (w, i, version) => {
    await store.append(stream(w, i), version, newEvents(c.eventsPerCommand, version), { partitionKey: stream(w, i), metadata });
  });

  // The same rows into a table of the same shape and indexes, one multi-row INSERT, no checks.
  await pool.query('CREATE TABLE IF NOT EXISTS raw_events (LIKE events INCLUDING ALL)');
  const rawInsert = await measure(c, async (w, i, version) => {
    const events = newEvents(c.eventsPerCommand, version);
    await pool.query(
      `INSERT INTO raw_events (stream_id, stream_version, event_id, event_type, schema_version, partition_key, data, metadata, occurred_at, hash)
       SELECT $1, v, id, $2, 1, $1, d, $3, $4, 'x' FROM unnest($5::int[], $6::uuid[], $7::jsonb[]) AS t(v, id, d)`,
      [`raw-${stream(w, i)}`, 'CustomerRegistered', JSON.stringify(metadata), '2026-11-24T00:00:00.000Z',
        events.map((_, n) => version + n + 1), events.map((e) => e.id), events.map((e) => JSON.stringify(e.data))]);
  });
  await pool.end();

  const emmettStore = getPostgreSQLEventStore(databaseUrl, { connectionOptions: { pooled: true } } as any);
  const emmett = await measure(c, async (w, i, version) => {
    const events = newEvents(c.eventsPerCommand, version).map((e) => ({ type: e.type, data: e.data }));
    await emmettStore.appendToStream(`emmett-${stream(w, i)}`, events as any, { expectedStreamVersion: BigInt(version) } as any);
  });
  await (emmettStore as any).close?.();
  return { ours, rawInsert, emmett };
}
