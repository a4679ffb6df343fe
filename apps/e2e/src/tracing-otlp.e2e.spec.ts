import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { freshDatabase, kafkaBrokers, pollUntil, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, tokenFor, testTopicPrefix } from '@crm/testing';

interface OtlpSpan { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes: Array<{ key: string; value: { stringValue?: string } }> }

/**
 * OpenTelemetry configured by the standard variables only (a service as a process, real
 * PostgreSQL + Kafka): spans reach an OTLP/HTTP collector — the request's server span, the
 * PostgreSQL queries under it — and the event the request records carries that trace.
 */
describe('tracing: a service exports OTLP spans when OTEL_* asks for it', () => {
  const spans: Array<OtlpSpan & { service: string }> = [];
  let collector: Server;
  let db: TestDatabase;
  let customers: RunningService;

  beforeAll(async () => {
    collector = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        for (const resource of JSON.parse(body).resourceSpans ?? []) {
          const service = resource.resource.attributes.find((a: any) => a.key === 'service.name')?.value.stringValue;
          for (const scope of resource.scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    db = await freshDatabase();
    customers = await startService('customers', {
      KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: testTopicPrefix('e2e'), KAFKA_TOPIC_PARTITIONS: '1',
      AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: db.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    });
  }, 120_000);

  afterAll(async () => {
    await customers?.stop();
    await db?.drop();
    await new Promise((resolve) => collector.close(resolve));
  });

  it('exports the request\'s server span with its PostgreSQL spans, and records its trace in the event', async () => {
    const response = await fetch(`${customers.url}/v1/customers`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor('sales')}` },
      body: JSON.stringify({ kind: 'company', legalName: 'Traced Tea' }),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const traceparent = (await db.pool.query(`SELECT metadata->>'traceparent' AS t FROM events WHERE partition_key = $1`, [id])).rows[0].t as string;
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const traceId = traceparent.split('-')[1];
    const server = await pollUntil(async () => spans.find((s) => s.traceId === traceId && s.kind === 2 && s.name.startsWith('POST')), { what: 'the server span' });
    expect(server.service).toBe('crm-customers');
    await pollUntil(async () => spans.some((s) => s.traceId === traceId && s.kind === 3 && /pg|postgres|INSERT|SELECT/i.test(s.name)) || undefined,
      { what: 'PostgreSQL spans in the request\'s trace' });
    // Probes and scrapes are not traced; an ordinary GET is.
    const path = (span: OtlpSpan) => span.attributes.find((a) => a.key === 'url.path' || a.key === 'http.target')?.value.stringValue ?? '';
    await fetch(`${customers.url}/health/ready`);
    await fetch(`${customers.url}/v1/customers/${id}`, { headers: { authorization: `Bearer ${await tokenFor('sales')}` } });
    await pollUntil(async () => spans.some((s) => s.kind === 2 && path(s) === `/v1/customers/${id}`) || undefined, { what: 'the GET\'s span' });
    expect(spans.filter((s) => s.kind === 2).map(path).filter((p) => /health|metrics/.test(p))).toEqual([]);
  });
});
