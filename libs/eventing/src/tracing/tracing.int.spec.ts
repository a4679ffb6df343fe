import { randomUUID } from 'node:crypto';
import { SpanKind, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { freshEventingDatabase, pollUntil, tallyPolicy, TestDatabase, testTransport, uniqueTopic } from '@crm/testing';
import { Decider } from '@crm/contracts';
import { commandHandlerFor } from '../command/command-handler';
import { PolicyRunner } from '../policy/policy-runner';
import { Relay } from '../relay/relay';
import { PostgresEventStore } from '../store/postgres-event-store';
import { KafkajsTransport } from '../transport/kafkajs-transport';

type Order = { type: 'Order'; data: { id: string } };
type Ordered = { type: 'Ordered'; schemaVersion: 1; data: { id: string } };
const orders: Decider<object, Order, Ordered> = {
  initialState: () => ({}),
  decide: (c) => [{ type: 'Ordered', schemaVersion: 1, data: { id: c.data.id } }],
  evolve: (s) => s,
};

/**
 * One trace across the log (an in-process exporter; real PostgreSQL + Kafka): a command recorded
 * inside a request's span carries its traceparent; the relay's send links to it; the policy
 * that reacts on the other side is a child of that request's span, and the event its command
 * records carries the policy's span as its parent — the next hop continues the same trace.
 */
describe('tracing through the event log (OpenTelemetry in-process exporter)', () => {
  const exporter = new InMemorySpanExporter();
  const sdk = new NodeSDK({ serviceName: 'tracing-spec', spanProcessors: [new SimpleSpanProcessor(exporter)], instrumentations: [] });
  let source: TestDatabase;
  let sink: TestDatabase;
  let transport: KafkajsTransport;

  beforeAll(async () => {
    sdk.start();
    [source, sink] = await Promise.all([freshEventingDatabase(), freshEventingDatabase()]);
    transport = testTransport('tracing-spec');
  });
  afterAll(async () => {
    await transport.close();
    await Promise.all([source.drop(), sink.drop()]);
    await sdk.shutdown();
  });

  it('continues the request\'s trace in the consumer\'s policy and in the events its commands record', async () => {
    const topic = uniqueTopic('tracing');
    await transport.ensureTopics([{ topic, partitions: 1 }]);
    const sourceStore = new PostgresEventStore(source.pool);
    const sinkStore = new PostgresEventStore(sink.pool);
    const relay = new Relay(source.pool, sourceStore, transport, { name: 'tracing', topic, source: 'test', idlePollMs: 10 });
    const policy = new PolicyRunner(sink.pool, transport, tallyPolicy(sinkStore, topic), { groupPrefix: `g-${randomUUID()}` });
    relay.start();
    await policy.start();

    const subject = randomUUID();
    const request = await trace.getTracer('spec').startActiveSpan('POST /v1/orders', { kind: SpanKind.SERVER }, async (span) => {
      await commandHandlerFor(sourceStore, { name: 'orders', decider: orders }).execute({
        streamId: `order-${subject}`, partitionKey: subject, command: { type: 'Order', data: { id: subject } },
        metadata: { actor: { id: 'u', roles: [] }, correlationId: 'c', causationId: 'c' }, now: '2026-12-01T00:00:00.000Z',
        respond: () => undefined,
      });
      span.end();
      return span.spanContext();
    });

    const added = await pollUntil(async () => (await sink.pool.query(`SELECT metadata FROM events WHERE stream_id = $1`, [`tally-${subject}`])).rows[0],
      { what: 'the policy\'s command' });
    await policy.stop();
    await relay.stop();

    const recorded = (await source.pool.query(`SELECT metadata->>'traceparent' AS t FROM events WHERE stream_id = $1`, [`order-${subject}`])).rows[0].t;
    expect(recorded).toBe(`00-${request.traceId}-${request.spanId}-01`);
    const spans = exporter.getFinishedSpans();
    const named = (name: string) => spans.find((s) => s.name === name) as ReadableSpan;
    const send = named(`send ${topic}`);
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.links.map((l) => l.context.spanId)).toContain(request.spanId);
    const reaction = named('tally handle Ordered');
    expect(reaction.spanContext().traceId).toBe(request.traceId);
    expect(reaction.parentSpanContext?.spanId).toBe(request.spanId);
    expect(named('process policy:tally').links.map((l) => l.context.traceId)).toContain(request.traceId);
    // The policy's own event: same trace, its parent the policy's span.
    expect(added.metadata.traceparent).toBe(`00-${request.traceId}-${reaction.spanContext().spanId}-01`);
  });
});
