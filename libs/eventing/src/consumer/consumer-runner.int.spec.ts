import { randomUUID } from 'node:crypto';
import { CloudEvent, Kafka as CloudEventsKafka } from 'cloudevents';
import {
  eventingChildScripts, freshEventingDatabase, kafkaBrokers, pollUntil, receivedDdl, ReceivedEventsHandler, runScript, TestDatabase, testTransport,
  uniqueTopic,
} from '@crm/testing';
import { ConsumerRunner } from './consumer-runner';
import { inboxDdl } from './consumer.sql';
import { EventHandler } from './event-handler';
import { KafkajsTransport } from '../transport/kafkajs-transport';
import { IncomingMessage } from '../transport/transport';
import { toKafkaMessage } from '../transport/cloud-event-mapping';
import { RecordedEvent } from '../store/event-store.types';
import { logOrderViolationsTotal } from '../metrics/eventing-metrics';


function recorded(key: string, version: number, data: Record<string, unknown> = {}): RecordedEvent {
  return {
    id: randomUUID(), type: 'Counted', schemaVersion: 1, data: { version, ...data }, occurredAt: '2026-11-24T00:00:00.000Z',
    streamId: key, streamVersion: version, partitionKey: key, globalPosition: '0', transactionId: '0', hash: '',
    metadata: { actor: { id: 'u', roles: ['admin'] }, correlationId: 'c', causationId: 'c' },
  };
}

/** Messages for `keys` streams of `perKey` events each, interleaved across keys. */
function history(keys: number, perKey: number) {
  const events: RecordedEvent[] = [];
  for (let v = 1; v <= perKey; v++) for (let k = 0; k < keys; k++) events.push(recorded(`key-${k}`, v));
  return events;
}

describe('consumer runner (real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let transport: KafkajsTransport;
  beforeAll(async () => {
    db = await freshEventingDatabase();
    transport = testTransport('consumer-spec');
  });
  afterAll(async () => {
    await transport.close();
    await db.drop();
  });

  const table = (schema: string) => ({ received: `${schema}_received`, inbox: `${schema}_inbox` });
  async function createTables(name: string) {
    const t = table(name);
    await db.pool.query(receivedDdl(t.received) + inboxDdl(t.inbox));
    return t;
  }
  const count = async (tableName: string) => Number((await db.pool.query(`SELECT count(*) FROM ${tableName}`)).rows[0].count);
  const checkpointed = async (consumer: string) =>
    Number((await db.pool.query(`SELECT coalesce(sum("offset" + 1), 0) AS n FROM consumer_checkpoints WHERE consumer = $1`, [consumer])).rows[0].n);

  /** A fresh one-partition topic with `keys` streams of `perKey` events published, and tables. */
  async function scenario(name: string, keys: number, perKey: number) {
    const topic = uniqueTopic(name);
    await transport.ensureTopics([{ topic, partitions: 1 }]);
    const t = await createTables(name);
    const events = history(keys, perKey);
    return { topic, t, events, publish: () => transport.publish(topic, events.map((e) => toKafkaMessage(e, 'test'))) };
  }
  const versionsOf = async (table: string, key: string) => (await db.pool.query(
    `SELECT stream_version FROM ${table} WHERE stream_id = $1 ORDER BY seq`, [key])).rows.map((r) => r.stream_version);

  it('gives an identical read model when the same events are fed twice', async () => {
    const topic = uniqueTopic('twice');
    await transport.ensureTopics([{ topic, partitions: 2 }]);
    const t = await createTables('twice');
    const events = history(5, 20);
    const messages = events.map((e) => toKafkaMessage(e, 'test'));
    await transport.publish(topic, messages);
    await transport.publish(topic, messages);
    const runner = new ConsumerRunner(db.pool, transport, new ReceivedEventsHandler(t.received),
      { name: 'twice', groupId: `g-${randomUUID()}`, topics: [topic], inboxTable: t.inbox });
    await runner.start();
    await pollUntil(async () => (await checkpointed('twice')) === 2 * events.length, { what: 'both copies read' });
    await runner.stop();
    const { rows } = await db.pool.query(`SELECT event_id FROM ${t.received} ORDER BY event_id`);
    expect(rows.map((r) => r.event_id)).toEqual(events.map((e) => e.id).sort());
  });

  it('applies a large fetched batch in transactions of at most maxEventsPerTransaction events', async () => {
    const { topic, t, events, publish } = await scenario('chunked', 5, 10);
    // One produce request: the consumer fetches all 50 in one batch.
    await publish();
    const received = new ReceivedEventsHandler(t.received);
    const transactions: Array<{ xid: string; events: number }> = [];
    const handler: EventHandler = {
      async handle(batch, context) {
        const { rows: [row] } = await context.tx.query('SELECT txid_current()::text AS xid');
        transactions.push({ xid: row.xid, events: batch.length });
        await received.handle(batch, context);
      },
    };
    const runner = new ConsumerRunner(db.pool, transport, handler,
      { name: 'chunked', groupId: `g-${randomUUID()}`, topics: [topic], inboxTable: t.inbox, maxEventsPerTransaction: 10 });
    await runner.start();
    await pollUntil(async () => (await checkpointed('chunked')) === events.length, { what: 'all 50 applied' });
    await runner.stop();
    expect(Math.max(...transactions.map((x) => x.events))).toBeLessThanOrEqual(10);
    expect(new Set(transactions.map((x) => x.xid)).size).toBe(transactions.length);
    expect(transactions.length).toBeGreaterThanOrEqual(5);
    const { rows } = await db.pool.query(`SELECT event_id FROM ${t.received} ORDER BY event_id`);
    expect(rows.map((r) => r.event_id)).toEqual(events.map((e) => e.id).sort());
  });

  it('applies and reports an event first published behind a higher log position (what a rebuild would drop), not a repeat', async () => {
    const topic = uniqueTopic('order');
    await transport.ensureTopics([{ topic, partitions: 1 }]);
    const t = await createTables('order');
    const at = (position: number) => ({ ...recorded(`key-${position}`, 1), transactionId: '7', globalPosition: String(position) });
    const [first, second, third] = [at(1), at(2), at(3)];
    const violations = async () => (await logOrderViolationsTotal().get()).values.find((v) => v.labels.consumer === 'order')?.value ?? 0;
    const runner = new ConsumerRunner(db.pool, transport, new ReceivedEventsHandler(t.received),
      { name: 'order', groupId: `g-${randomUUID()}`, topics: [topic], inboxTable: t.inbox });
    await runner.start();
    // 1 and 3 first; then 2's first copy, behind 3, and a relay's repeat of 3 (the inbox knows it).
    await transport.publish(topic, [first, third].map((e) => toKafkaMessage(e, 'test')));
    await pollUntil(async () => (await checkpointed('order')) === 2, { what: 'the first two read' });
    await transport.publish(topic, [second, third].map((e) => toKafkaMessage(e, 'test')));
    await pollUntil(async () => (await checkpointed('order')) === 4, { what: 'all four read' });
    await runner.stop();
    const { rows } = await db.pool.query(`SELECT event_id FROM ${t.received} ORDER BY event_id`);
    expect(rows.map((r) => r.event_id)).toEqual([first.id, second.id, third.id].sort());
    expect(await violations()).toBe(1);
  });

  it('passes by events its handler has no use for: no handler call, no inbox row, the checkpoint still moves', async () => {
    const topic = uniqueTopic('relevant');
    await transport.ensureTopics([{ topic, partitions: 1 }]);
    const t = await createTables('relevant');
    const received = new ReceivedEventsHandler(t.received);
    const calls: number[] = [];
    const handler: EventHandler = {
      relevant: (event) => (event.data as { keep?: boolean }).keep === true,
      async handle(batch, context) {
        calls.push(batch.length);
        await received.handle(batch, context);
      },
    };
    const runner = new ConsumerRunner(db.pool, transport, handler, { name: 'relevant', groupId: `g-${randomUUID()}`, topics: [topic], inboxTable: t.inbox });
    await runner.start();
    const ignored = Array.from({ length: 10 }, (_, i) => recorded('ignored', i + 1));
    await transport.publish(topic, ignored.map((e) => toKafkaMessage(e, 'test')));
    // The checkpoint of a batch without a transaction comes by timer: it must come all the same.
    await pollUntil(async () => (await checkpointed('relevant')) === 10 || undefined, { what: 'the ignored batch checkpointed' });
    expect([calls, await count(t.inbox)]).toEqual([[], 0]);

    const mixed = Array.from({ length: 20 }, (_, i) => recorded('mixed', i + 1, { keep: i % 2 === 0 }));
    await transport.publish(topic, mixed.map((e) => toKafkaMessage(e, 'test')));
    await pollUntil(async () => (await checkpointed('relevant')) === 30 || undefined, { what: 'the mixed batch checkpointed' });
    await runner.stop();
    expect(await versionsOf(t.received, 'mixed')).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
    expect(await count(t.inbox)).toBe(10);
    expect(await count(t.received)).toBe(10);
  });

  it('applies every event exactly once after a consumer is SIGKILLed mid-batch', async () => {
    const topic = uniqueTopic('killed');
    await transport.ensureTopics([{ topic, partitions: 1 }]);
    const t = await createTables('killed');
    const events = history(10, 50);
    // Several produce requests give the consumer several batches to die in.
    for (let i = 0; i < events.length; i += 50) await transport.publish(topic, events.slice(i, i + 50).map((e) => toKafkaMessage(e, 'test')));
    const groupId = `g-${randomUUID()}`;
    const child = runScript(eventingChildScripts.consumer, {
      DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(','), TOPIC: topic,
      GROUP_ID: groupId, CONSUMER: 'killed', INBOX: t.inbox, RECEIVED: t.received, KILL_IN_BATCH: '1',
    });
    expect((await child.exit).signal).toBe('SIGKILL');
    expect(await count(t.received)).toBe(0);

    const runner = new ConsumerRunner(db.pool, transport, new ReceivedEventsHandler(t.received),
      { name: 'killed', groupId, topics: [topic], inboxTable: t.inbox });
    await runner.start();
    await pollUntil(async () => (await checkpointed('killed')) === events.length, { what: 'all events after restart' });
    await runner.stop();
    const { rows } = await db.pool.query(`SELECT event_id FROM ${t.received} ORDER BY event_id`);
    expect(rows.map((r) => r.event_id)).toEqual(events.map((e) => e.id).sort());
  });

  it('parks a poison event with its later same-key events while other keys flow, and replays them in order after a fix', async () => {
    const { topic, t, events, publish } = await scenario('poison', 3, 5);
    const poison = events.find((e) => e.streamId === 'key-1' && e.streamVersion === 2)!;
    await publish();

    let fixed = false;
    const handler = new ReceivedEventsHandler(t.received, (e) => !fixed && e.id === poison.id);
    const deadLetters = `${topic}.dead-letter`;
    const runner = new ConsumerRunner(db.pool, transport, handler,
      { name: 'poison', groupId: `g-${randomUUID()}`, topics: [topic], inboxTable: t.inbox, maxAttempts: 3, backoffMs: 10, deadLetterTopic: deadLetters });
    await runner.start();
    await pollUntil(async () => (await checkpointed('poison')) === events.length, { what: 'all messages passed' });

    const { rows: parked } = await db.pool.query(
      `SELECT key, event_id, error, blocked_by FROM parked_events WHERE consumer = 'poison' ORDER BY id`);
    expect(parked.map((p) => p.event_id)).toEqual(events.filter((e) => e.streamId === 'key-1' && e.streamVersion >= 2).map((e) => e.id));
    expect(parked[0].error).toMatch(/cannot handle Counted/);
    expect(parked.slice(1).every((p) => p.blocked_by === poison.id)).toBe(true);
    expect(await versionsOf(t.received, 'key-0')).toEqual([1, 2, 3, 4, 5]);
    expect(await versionsOf(t.received, 'key-2')).toEqual([1, 2, 3, 4, 5]);
    expect(await versionsOf(t.received, 'key-1')).toEqual([1]);

    // The parked events are also on the dead-letter topic, in order, with the error.
    const copies: IncomingMessage[] = [];
    const subscription = await transport.subscribe({ groupId: `g-${randomUUID()}`, topics: [deadLetters], fromBeginning: true,
      eachBatch: async (batch, control) => {
        copies.push(...batch.messages);
        control.resolveOffset(batch.messages[batch.messages.length - 1].offset);
      } });
    await pollUntil(async () => copies.length >= parked.length || undefined, { what: 'dead-letter copies' });
    await subscription.stop();
    expect(copies.map((m) => m.headers.ce_id)).toEqual(parked.map((p) => p.event_id));
    expect(copies.map((m) => m.key)).toEqual(parked.map(() => 'key-1'));
    expect(copies[0].headers).toMatchObject({ dlt_consumer: 'poison', dlt_original_topic: topic, dlt_error: expect.stringMatching(/cannot handle Counted/) });
    expect(copies[1].headers.dlt_error).toBe(`blocked by parked event ${poison.id}`);

    fixed = true;
    expect(await runner.replayParked()).toEqual({ replayed: 4, stillParked: 0 });
    expect(await versionsOf(t.received, 'key-1')).toEqual([1, 2, 3, 4, 5]);
    // Once replayed, the key flows again.
    const later = recorded('key-1', 6);
    await transport.publish(topic, [toKafkaMessage(later, 'test')]);
    await pollUntil(async () => (await versionsOf(t.received, 'key-1')).length === 6, { what: 'key-1 flowing again' });
    await runner.stop();
  });

  it('skips a poison event for good on an operator\'s word: the events behind it are applied and a redelivery changes nothing', async () => {
    const { topic, t, events, publish } = await scenario('skip', 2, 4);
    const poison = events.find((e) => e.streamId === 'key-1' && e.streamVersion === 2)!;
    await publish();
    const runner = new ConsumerRunner(db.pool, transport, new ReceivedEventsHandler(t.received, (e) => e.id === poison.id),
      { name: 'skip', groupId: `g-${randomUUID()}`, topics: [topic], inboxTable: t.inbox, maxAttempts: 2, backoffMs: 10 });
    await runner.start();
    await pollUntil(async () => (await checkpointed('skip')) === events.length, { what: 'all messages passed' });
    expect(await versionsOf(t.received, 'key-1')).toEqual([1]);

    expect(await runner.skipParked(poison.id, 'INC-1: sent twice by the upstream bug')).toEqual({ skipped: true, replayed: 2, stillParked: 0 });
    expect(await versionsOf(t.received, 'key-1')).toEqual([1, 3, 4]);
    expect(await runner.skipParked(poison.id, 'again')).toEqual({ skipped: false, replayed: 0, stillParked: 0 });
    const { rows: [record] } = await db.pool.query(`SELECT skip_reason FROM parked_events WHERE consumer = 'skip' AND event_id = $1`, [poison.id]);
    expect(record.skip_reason).toBe('INC-1: sent twice by the upstream bug');

    // A redelivered copy of the skipped event is neither applied nor parked again; the key flows.
    await transport.publish(topic, [toKafkaMessage(poison, 'test'), toKafkaMessage(recorded('key-1', 5), 'test')]);
    await pollUntil(async () => (await versionsOf(t.received, 'key-1')).length === 4 || undefined, { what: 'key-1 flowing after the skip' });
    await runner.stop();
    expect(await versionsOf(t.received, 'key-1')).toEqual([1, 3, 4, 5]);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM parked_events WHERE consumer = 'skip' AND replayed_at IS NULL`)).rows[0].n).toBe(0);
  });

  it('redelivers an event that fails with a transient database error instead of parking it', async () => {
    const { topic, t, events, publish } = await scenario('transient', 2, 4);
    const victim = events.find((e) => e.streamId === 'key-0' && e.streamVersion === 2)!;
    await publish();

    // A deadlock (SQLSTATE 40P01) more times than the runner's own attempts: only redelivery gets past it.
    let failures = 0;
    const deadlocked = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    const handler = new ReceivedEventsHandler(t.received, (e) => e.id === victim.id && failures++ < 6);
    const throwing = { handle: async (batch: any, context: any) => {
      try {
        await handler.handle(batch, context);
      } catch {
        throw deadlocked;
      }
    } };
    const runner = new ConsumerRunner(db.pool, transport, throwing,
      { name: 'transient', groupId: `g-${randomUUID()}`, topics: [topic], inboxTable: t.inbox, maxAttempts: 2, backoffMs: 10 });
    await runner.start();
    await pollUntil(async () => (await count(t.received)) === events.length || undefined, { what: 'every event applied', timeoutMs: 60_000 });
    await runner.stop();

    expect(failures).toBeGreaterThan(2);
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM parked_events WHERE consumer = 'transient'`)).rows[0].n).toBe(0);
    expect(await versionsOf(t.received, 'key-0')).toEqual([1, 2, 3, 4]);
  });

  it('puts CloudEvents binary-mode messages on Kafka that the official SDK parses', async () => {
    const topic = uniqueTopic('cloudevents');
    await transport.ensureTopics([{ topic, partitions: 1 }]);
    const event = recorded('customer-42', 7, { amount: '1000' });
    await transport.publish(topic, [toKafkaMessage(event, 'crm.customers')]);
    let parsed: CloudEvent<any> | undefined;
    const subscription = await transport.subscribe({
      groupId: `g-${randomUUID()}`, topics: [topic], fromBeginning: true,
      eachBatch: async (batch, control) => {
        const m = batch.messages[0];
        parsed = CloudEventsKafka.toEvent({ key: m.key ?? undefined, value: m.value?.toString('utf8'), headers: m.headers as any } as any) as CloudEvent<any>;
        control.resolveOffset(m.offset);
      },
    });
    await pollUntil(async () => parsed, { what: 'the message' });
    await subscription.stop();
    expect(parsed!.validate()).toBe(true);
    expect(parsed).toMatchObject({
      specversion: '1.0', id: event.id, type: 'Counted', source: 'crm.customers', subject: 'customer-42',
      time: '2026-11-24T00:00:00.000Z', streamid: 'customer-42', streamversion: '7', schemaversion: '1',
    });
    expect(parsed!.data).toEqual({ version: 7, amount: '1000' });
  });
});
