import { Pool } from 'pg';
import { register } from 'prom-client';
import { PostgresEventStore } from '../store/postgres-event-store';
import { RecordedEvent } from '../store/event-store.types';
import { Transport } from '../transport/transport';
import { Relay } from './relay';

/** Just enough of PostgreSQL for the relay loop: a lock it may or may not get, a checkpoint. */
function fakePool(lock: { free: boolean }) {
  const client = {
    query: async (sql: string) => (sql.includes('pg_try_advisory_lock') ? { rows: [{ ok: lock.free }] } : { rows: [], rowCount: 1 }),
    on: () => undefined,
    release: () => undefined,
  };
  return {
    connect: async () => client,
    query: async (sql: string) => {
      if (sql.includes('SELECT transaction_id')) return { rows: [] };
      if (sql.includes('AS lag')) return { rows: [{ lag: '1', oldest: '0' }] };
      return { rows: [], rowCount: 1 };
    },
  } as unknown as Pool;
}

const event: RecordedEvent = {
  id: 'e1', type: 'Counted', schemaVersion: 1, data: { n: 1 }, occurredAt: '2026-11-24T00:00:00Z',
  streamId: 's', streamVersion: 1, partitionKey: 's', globalPosition: '1', transactionId: '1', hash: 'h',
  metadata: { actor: { id: 'u', roles: [] }, correlationId: 'c', causationId: 'c' },
};

function relayWith(options: { waiting: RecordedEvent[]; brokerUp: { up: boolean }; lock?: { free: boolean } }) {
  const published: number[] = [];
  const store = { readAll: async () => options.waiting } as unknown as PostgresEventStore;
  const transport = {
    publish: async (_topic: string, messages: unknown[]) => {
      if (!options.brokerUp.up) throw new Error('Connection error: connect ECONNREFUSED');
      published.push(messages.length);
      options.waiting = [];
    },
  } as unknown as Transport;
  const relay = new Relay(fakePool(options.lock ?? { free: true }), store, transport,
    { name: 'unit', topic: 'unit.events', source: 'test', idlePollMs: 5, leaseMs: 40, stallAfterMs: 300 });
  return { relay, published };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function stalledGauge(): Promise<number | undefined> {
  const metric = await register.getSingleMetric('crm_relay_stalled')?.get();
  return metric?.values.find((v) => v.labels.topic === 'unit.events')?.value;
}

describe('relay health (stall detection)', () => {
  it('turns stalled once events wait and nothing is published for longer than the limit, and recovers', async () => {
    const brokerUp = { up: false };
    const { relay, published } = relayWith({ waiting: [event], brokerUp });
    relay.start();
    try {
      await sleep(100);
      expect(relay.health()).toMatchObject({ state: 'publishing', stalled: false });
      await sleep(400);
      expect(relay.health()).toMatchObject({ state: 'stalled', stalled: true, stallAfterSeconds: 0.3 });
      expect(relay.health().secondsWithoutProgress).toBeGreaterThan(0.3);
      expect(await stalledGauge()).toBe(1);

      brokerUp.up = true; // the relay retries every 500 ms after a failed cycle
      await sleep(700);
      expect(published).toEqual([1]);
      expect(relay.health()).toMatchObject({ state: 'publishing', stalled: false });
      expect(await stalledGauge()).toBe(0);
    } finally {
      await relay.stop();
    }
    expect(relay.health().state).toBe('stopped');
    expect(await stalledGauge()).toBeUndefined();
  });

  it('is not stalled while caught up, even with the broker down (nothing waits)', async () => {
    const { relay } = relayWith({ waiting: [], brokerUp: { up: false } });
    relay.start();
    try {
      await sleep(500);
      expect(relay.health()).toMatchObject({ state: 'publishing', stalled: false });
      expect(relay.health().secondsWithoutProgress).toBeLessThan(0.3);
    } finally {
      await relay.stop();
    }
  });

  it('is not stalled on a standby: another replica holds the relay lock', async () => {
    const { relay } = relayWith({ waiting: [event], brokerUp: { up: false }, lock: { free: false } });
    relay.start();
    try {
      await sleep(500);
      expect(relay.health()).toMatchObject({ state: 'standby', stalled: false, secondsWithoutProgress: 0 });
    } finally {
      await relay.stop();
    }
  });
});
