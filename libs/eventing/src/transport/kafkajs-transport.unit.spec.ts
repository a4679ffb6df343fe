import { KafkajsTransport, patchKafkajsRequestQueueTimer } from './kafkajs-transport';

// kafkajs internals, to check the timer patch against the real class (no broker involved).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const RequestQueue = require('kafkajs/src/network/requestQueue');

function requestQueue() {
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  return new RequestQueue({ maxInFlightRequests: 1, requestTimeout: 30000, enforceRequestTimeout: true, clientId: 'unit', broker: 'b:9092', logger });
}

describe('kafkajs request-queue timer (TimeoutNegativeWarning under Node 24)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('is patched for the installed kafkajs, at import', () => {
    expect(RequestQueue.prototype.scheduleCheckPendingRequests.patchedByCrm).toBe(true);
    expect(patchKafkajsRequestQueueTimer()).toBe(true); // idempotent
  });

  it('arms no timer while nothing waits (kafkajs 2.2.4 armed one with a negative delay after every response)', async () => {
    const timers = jest.spyOn(global, 'setTimeout');
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const queue = requestQueue();
      queue.checkPendingRequests(); // what fulfillRequest() does for every response
      queue.scheduleCheckPendingRequests();
      await new Promise((resolve) => setImmediate(resolve));
      expect(timers.mock.calls.filter(([, ms]) => typeof ms === 'number' && ms < 0)).toEqual([]);
      expect(queue.throttleCheckTimeoutId ?? null).toBeNull();
      expect(warnings).not.toContain('TimeoutNegativeWarning');
      queue.destroy();
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('still checks pending requests: at the end of a throttle, or after 10 ms', () => {
    const timers = jest.spyOn(global, 'setTimeout');
    const queue = requestQueue();
    queue.pending.push({});
    queue.scheduleCheckPendingRequests();
    expect(timers.mock.calls.at(-1)?.[1]).toBe(10);
    queue.destroy();

    const throttled = requestQueue();
    throttled.pending.push({});
    throttled.throttledUntil = Date.now() + 500;
    throttled.scheduleCheckPendingRequests();
    const delay = timers.mock.calls.at(-1)?.[1] as number;
    expect(delay).toBeGreaterThan(400);
    expect(delay).toBeLessThanOrEqual(500);
    throttled.destroy();
  });
});

/** A kafkajs client whose first `failures` connections fail, as during a broker outage. */
function flakyKafka(failures: number) {
  const made: Array<{ connected: boolean; disconnected: boolean; sent: number }> = [];
  let attempts = 0;
  const client = () => {
    const state = { connected: false, disconnected: false, sent: 0 };
    made.push(state);
    return {
      connect: async () => {
        attempts += 1;
        if (attempts <= failures) throw Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), { name: 'KafkaJSNumberOfRetriesExceeded' });
        state.connected = true;
      },
      disconnect: async () => { state.disconnected = true; },
      send: async () => { state.sent += 1; },
      listTopics: async () => ['t'],
      // The existing topic keeps its events forever, as ensureTopics checks.
      describeConfigs: async () => ({ resources: [{ resourceName: 't', configEntries: [{ configName: 'retention.ms', configValue: '-1' }] }] }),
      // ...and is served by its leader (ensureTopics waits for every declared topic's leaders).
      fetchTopicMetadata: async ({ topics }: { topics: string[] }) => ({ topics: topics.map((name) => ({ name, partitions: [{ partitionId: 0, leader: 1 }] })) }),
      fetchTopicOffsets: async () => [{ partition: 0, offset: '0', high: '0', low: '0' }],
    };
  };
  return { kafka: { producer: client, admin: client }, made };
}

describe('KafkajsTransport connections', () => {
  const transportWith = (kafka: unknown) => {
    const transport = new KafkajsTransport({ brokers: ['127.0.0.1:1'], clientId: 'unit', quiet: true });
    (transport as any).kafka = kafka;
    return transport;
  };
  const message = { key: 'k', value: 'v', headers: {} };

  it('retries a producer whose first connection failed on a fresh client, instead of replaying the failure forever', async () => {
    const { kafka, made } = flakyKafka(1);
    const transport = transportWith(kafka);
    await expect(transport.publish('t', [message])).rejects.toThrow(/ECONNREFUSED/);
    await transport.publish('t', [message]); // the broker is back
    await transport.publish('t', [message]);
    expect(made).toEqual([
      { connected: false, disconnected: true, sent: 0 }, // the failed client is closed and dropped
      { connected: true, disconnected: false, sent: 2 }, // one fresh client, kept once it connected
      { connected: true, disconnected: false, sent: 0 }, // the admin client that read the topic's partition count (once: cached)
    ]);
    await transport.close();
    expect(made[1].disconnected).toBe(true);
  });

  it('does the same for the admin client', async () => {
    const { kafka, made } = flakyKafka(2);
    const transport = transportWith(kafka);
    await expect(transport.ensureTopics([{ topic: 't', partitions: 1 }])).rejects.toThrow(/ECONNREFUSED/);
    await expect(transport.ensureTopics([{ topic: 't', partitions: 1 }])).rejects.toThrow(/ECONNREFUSED/);
    await transport.ensureTopics([{ topic: 't', partitions: 1 }]);
    await transport.ensureTopics([{ topic: 't', partitions: 1 }]);
    expect(made.map((m) => m.connected)).toEqual([false, false, true]);
    await transport.close();
  });

  it('drops a consumer whose connection failed, so the next subscribe starts on a fresh one', async () => {
    let attempts = 0;
    const consumers: Array<{ disconnected: boolean }> = [];
    const kafka = {
      consumer: () => {
        const state = { disconnected: false };
        consumers.push(state);
        return {
          connect: async () => { if (++attempts === 1) throw new Error('Connection error: ECONNREFUSED'); },
          disconnect: async () => { state.disconnected = true; },
          subscribe: async () => undefined,
          run: async () => undefined,
          on: () => () => undefined,
          events: { CRASH: 'consumer.crash' },
        };
      },
    };
    const transport = transportWith(kafka);
    const options = { groupId: 'g', topics: ['t'], fromBeginning: true, eachBatch: async () => undefined };
    await expect(transport.subscribe(options)).rejects.toThrow(/ECONNREFUSED/);
    const subscription = await transport.subscribe(options);
    expect(consumers).toEqual([{ disconnected: true }, { disconnected: false }]);
    expect((transport as any).consumers.size).toBe(1);
    await subscription.stop();
  });
});
