import { randomUUID } from 'node:crypto';
import {
  eventingChildScripts, freshEventingDatabase, kafkaBrokers, pollUntil, runScript, tallyPolicy, TestDatabase, testTransport, uniqueTopic,
} from '@crm/testing';
import { Partitioners } from 'kafkajs';
import { KafkajsTransport } from '../transport/kafkajs-transport';
import { toKafkaMessage } from '../transport/cloud-event-mapping';
import { RecordedEvent } from '../store/event-store.types';
import { PostgresEventStore } from '../store/postgres-event-store';
import { PolicyRunner } from './policy-runner';

function ordered(subject: string): RecordedEvent {
  return {
    id: randomUUID(), type: 'Ordered', schemaVersion: 1, data: {}, occurredAt: '2026-11-24T00:00:00.000Z',
    streamId: `order-${subject}`, streamVersion: 1, partitionKey: subject, globalPosition: '0', transactionId: '0', hash: '',
    metadata: { actor: { id: 'u', roles: ['sales'] }, correlationId: `corr-${subject}`, causationId: 'c' },
  };
}

describe('policy runner (real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let transport: KafkajsTransport;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await freshEventingDatabase();
    transport = testTransport('policy-spec');
    store = new PostgresEventStore(db.pool);
  });
  afterAll(async () => {
    await transport.close();
    await db.drop();
  });

  /** Causing event id of every command the policy appended, and how often each appears. */
  const effects = async () => (await db.pool.query(
    `SELECT data->>'cause' AS cause, metadata->>'causationId' AS causation, count(*)::int AS n FROM events
      WHERE stream_id LIKE 'tally-%' GROUP BY 1, 2`)).rows;

  it('has one effect per event when the process dies between the command\'s append and the consumer\'s commit', async () => {
    const topic = uniqueTopic('policy-kill');
    await transport.ensureTopics([{ topic, partitions: 1 }]);
    const events = Array.from({ length: 30 }, (_, i) => ordered(`c${i % 3}`));
    await transport.publish(topic, events.map((e) => toKafkaMessage(e, 'test')));
    const groupPrefix = `g-${randomUUID()}`;

    const child = runScript(eventingChildScripts.policy, {
      DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','), TOPIC: topic, GROUP_PREFIX: groupPrefix, KILL_AFTER_SEND: '5',
    });
    expect((await child.exit).signal).toBe('SIGKILL');
    // The killed batch's commands are in the store, its checkpoint is not.
    expect((await effects()).length).toBe(5);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM consumer_checkpoints WHERE consumer = 'policy:tally'`)).rows[0].n).toBe(0);

    const runner = new PolicyRunner(db.pool, transport, tallyPolicy(store, topic), { groupPrefix });
    await runner.start();
    await pollUntil(async () => (await effects()).length === events.length, { what: 'a command for every event' });
    await pollUntil(async () => (await db.pool.query(
      `SELECT coalesce(sum("offset" + 1), 0)::int AS n FROM consumer_checkpoints WHERE consumer = 'policy:tally'`)).rows[0].n === events.length,
    { what: 'every event checkpointed' });
    await runner.stop();

    const rows = await effects();
    expect(rows.every((r) => r.n === 1 && r.cause === r.causation)).toBe(true);
    expect(rows.map((r) => r.cause).sort()).toEqual(events.map((e) => e.id).sort());
    const versions = (await db.pool.query(`SELECT stream_id, max(stream_version)::int AS v FROM events WHERE stream_id LIKE 'tally-%' GROUP BY 1 ORDER BY 1`)).rows;
    expect(versions).toEqual([{ stream_id: 'tally-c0', v: 10 }, { stream_id: 'tally-c1', v: 10 }, { stream_id: 'tally-c2', v: 10 }]);
  });

  it('parks an event whose command keeps failing, while the other keys go on', async () => {
    const topic = uniqueTopic('policy-park');
    await transport.ensureTopics([{ topic, partitions: 1 }]);
    const poison = ordered('bad');
    const good = ordered('good');
    await transport.publish(topic, [poison, good].map((e) => toKafkaMessage(e, 'test')));
    const policy = { ...tallyPolicy(store, topic), name: 'tally-park' };
    const failing = { ...policy, handle: (e: any, c: any) => (e.id === poison.id ? [{ key: 'x', send: async () => { throw new Error('refused'); } }] : policy.handle(e, c)) };
    const runner = new PolicyRunner(db.pool, transport, failing, { groupPrefix: `g-${randomUUID()}`, maxAttempts: 2, backoffMs: 5 });
    await runner.start();
    await pollUntil(async () => (await db.pool.query(`SELECT 1 FROM events WHERE stream_id = 'tally-good'`)).rowCount === 1, { what: 'the good event acted on' });
    await pollUntil(async () => (await db.pool.query(`SELECT 1 FROM parked_events WHERE consumer = 'policy:tally-park' AND event_id = $1`, [poison.id])).rowCount === 1,
      { what: 'the failing event parked' });
    await runner.stop();
    expect((await db.pool.query(`SELECT 1 FROM events WHERE stream_id = 'tally-bad'`)).rowCount).toBe(0);
  });
  it('keeps a policy\'s own state in the consumer\'s transaction: a failed batch\'s writes roll back, each event counts once', async () => {
    const topic = uniqueTopic('policy-state');
    await transport.ensureTopics([{ topic, partitions: 1 }]);
    const events = Array.from({ length: 6 }, (_, i) => ordered(`s${i}`));
    await transport.publish(topic, events.map((e) => toKafkaMessage(e, 'test')));
    await db.pool.query('CREATE TABLE policy_state_seen (event_id uuid NOT NULL)');
    let failOnce = true;
    const policy = {
      name: 'stateful', topics: [topic],
      handle: async (e: any, { tx }: { tx: any }) => {
        await tx.query('INSERT INTO policy_state_seen (event_id) VALUES ($1)', [e.id]);
        // The last event's command fails once: the whole batch is rolled back and retried event by event.
        return [{ key: 'x', send: async () => {
          if (e.id === events[events.length - 1].id && failOnce) {
            failOnce = false;
            throw new Error('transient refusal');
          }
        } }];
      },
    };
    const runner = new PolicyRunner(db.pool, transport, policy, { groupPrefix: `g-${randomUUID()}`, backoffMs: 5 });
    await runner.start();
    await pollUntil(async () => (await db.pool.query(`SELECT coalesce(sum("offset" + 1), 0)::int AS n FROM consumer_checkpoints WHERE consumer = 'policy:stateful'`)).rows[0].n === events.length,
      { what: 'every event checkpointed' });
    await runner.stop();
    expect(failOnce).toBe(false);
    const seen = (await db.pool.query('SELECT event_id::text, count(*)::int AS n FROM policy_state_seen GROUP BY 1')).rows;
    expect(seen.map((r) => r.n)).toEqual(events.map(() => 1));
    expect(seen.map((r) => r.event_id).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('handles partitions side by side: one partition\'s slow command does not hold back another\'s', async () => {
    const topic = uniqueTopic('policy-overlap');
    await transport.ensureTopics([{ topic, partitions: 2 }]);
    // One subject on each partition, by the producer's own partitioner.
    const partitionOf = Partitioners.DefaultPartitioner();
    const partitionMetadata = [0, 1].map((partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }));
    const bySubject = new Map<number, string>();
    for (let i = 0; bySubject.size < 2; i++) {
      const subject = `p${i}`;
      const partition = partitionOf({ topic, partitionMetadata, message: { key: subject, value: '' } });
      if (!bySubject.has(partition)) bySubject.set(partition, subject);
    }
    const events = [...bySubject.values()].map((subject) => ordered(subject));
    await transport.publish(topic, events.map((e) => toKafkaMessage(e, 'test')));
    let waiting = false;
    let overlapped = false;
    let release = () => undefined as void;
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    const handled: string[] = [];
    const policy = {
      name: 'overlap', topics: [topic],
      handle: async (e: { id: string }) => {
        // The first event's handling waits (at most 10 s) for the other partition's to begin.
        if (waiting) {
          overlapped = true;
          release();
        } else {
          waiting = true;
          await Promise.race([bothStarted, new Promise((resolve) => setTimeout(resolve, 10_000))]);
          waiting = false;
        }
        handled.push(e.id);
        return [];
      },
    };
    const runner = new PolicyRunner(db.pool, transport, policy, { groupPrefix: `g-${randomUUID()}`, backoffMs: 5 });
    await runner.start();
    await pollUntil(async () => handled.length >= 2, { what: 'both events handled', timeoutMs: 60_000 });
    await runner.stop();
    expect(overlapped).toBe(true);
    expect(handled.sort()).toEqual(events.map((e) => e.id).sort());
  });
});
