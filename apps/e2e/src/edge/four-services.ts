import { freshDatabase, kafkaBrokers, RunningService, startService, TestDatabase, testTopicPrefix } from '@crm/testing';
import { Service, SERVICES } from './openapi-routes';

export interface FourServices {
  urls: Record<Service, string>;
  dbs: Record<Service, TestDatabase>;
  /** What each process logged (LOG_LEVEL=warn): the errors behind a 5xx. */
  output(service: Service): string;
  stop(): Promise<void>;
}

/** The four services as processes, each on its own fresh database, one topic prefix for all of them. */
export async function startFourServices(env: Record<string, string>): Promise<FourServices> {
  const prefix = testTopicPrefix('edge');
  const dbs = Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freshDatabase()] as const))) as Record<Service, TestDatabase>;
  const running: Partial<Record<Service, RunningService>> = {};
  const stop = async () => {
    await Promise.all(Object.values(running).map((r) => r?.stop()));
    await Promise.all(Object.values(dbs).map((db) => db.drop()));
  };
  try {
    await Promise.all(SERVICES.map(async (s) => {
      running[s] = await startService(s, { KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: prefix, KAFKA_TOPIC_PARTITIONS: '1',
        DATABASE_URL: dbs[s].url, ...env }, 120_000);
    }));
  } catch (error) {
    await stop();
    throw error;
  }
  return { urls: Object.fromEntries(SERVICES.map((s) => [s, running[s]!.url])) as Record<Service, string>, dbs, stop,
    output: (service) => running[service]!.output() };
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function inPool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

/** Events per service's store: the same count before and after shows nothing was written. */
export async function eventCounts(dbs: Record<Service, TestDatabase>): Promise<Record<Service, number>> {
  return Object.fromEntries(await Promise.all(SERVICES.map(async (s) =>
    [s, (await dbs[s].pool.query('SELECT count(*)::int AS n FROM events')).rows[0].n] as const))) as Record<Service, number>;
}
