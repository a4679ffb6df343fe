import { eventsTopic } from '@crm/contracts';
import { OwnKafkaCluster, ownKafkaCluster, OwnPostgres, ownPostgres, pollUntil, testTopicPrefix } from '@crm/testing';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import { audit, buildBundles, liveUrls, Replica, SERVICES, ServiceName, startReplicas } from './fault-stack';
import { LoadDriver } from './load-driver';
import { consumersBehind, positionTrail, publishedIds, readTopic, relayState, storedCounts, underReplicated } from './log-checks';

/**
 * Production settings under faults, on loopback: a three-broker KRaft cluster (replication
 * factor 3, min.insync.replicas=2, acks=all), two replicas of each service, a PostgreSQL of
 * this spec's own. While a client writes through the APIs: one broker is killed and comes back,
 * every replica is killed -9 in turn and restarted, one broker is restarted, PostgreSQL stops
 * for 10 s. Afterwards every accepted command is in the log exactly once, every stored event is
 * on its topic, nothing is parked, every consumer caught up and the cluster healed. Each fault's
 * recovery time is printed.
 */
describe('surviving faults (three brokers, two replicas per service, PostgreSQL stopped)', () => {
  let kafka: OwnKafkaCluster;
  let postgres: OwnPostgres;
  let replicas: Record<ServiceName, Replica[]>;
  let driver: LoadDriver;
  const pools = {} as Record<ServiceName, Pool>;
  const prefix = testTopicPrefix('fault');
  const topics = SERVICES.map((s) => eventsTopic(s, prefix));
  const recovery: [string, number][] = [];
  /** Each check's outcome, for the closing "N passed, N failed" line. */
  const outcomes: boolean[] = [];
  /** A check of this spec: its outcome is counted, its failure still fails it. */
  const check = (name: string, body: () => Promise<void>, timeoutMs?: number) => it(name, async () => {
    try {
      await body();
      outcomes.push(true);
    } catch (error) {
      outcomes.push(false);
      throw error;
    }
  }, timeoutMs);
  const today = new Date().toISOString().slice(0, 10);
  const logDir = path.resolve(__dirname, '../../../../.local/fault-logs');
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    buildBundles();
    mkdirSync(logDir, { recursive: true });
    [kafka, postgres] = await Promise.all([ownKafkaCluster(3), ownPostgres()]);
    replicas = await startReplicas(postgres, kafka, prefix);
    for (const s of SERVICES) {
      pools[s] = new Pool({ connectionString: postgres.urlOf(s), max: 2 });
      pools[s].on('error', () => undefined);
    }
  }, 600_000);

  afterAll(async () => {
    await Promise.all(Object.values(replicas ?? {}).flat().map((r) => r.kill()));
    // Every replica's log, to read what went wrong after a failed run.
    mkdirSync(logDir, { recursive: true });
    for (const replica of Object.values(replicas ?? {}).flat()) writeFileSync(path.join(logDir, `${replica.service}-${replica.index + 1}.log`), replica.output());
    await Promise.all(Object.values(pools).map((p) => p.end()));
    await Promise.all([kafka?.remove(), postgres?.remove()]);
    const width = Math.max(...recovery.map(([what]) => what.length));
    process.stdout.write(`\nfault recovery times:\n${recovery.map(([what, ms]) => `  ${what.padEnd(width)}  ${(ms / 1000).toFixed(1)} s`).join('\n')}\n`);
    const passed = outcomes.filter(Boolean).length;
    process.stdout.write(`fault checks: ${passed} passed, ${outcomes.length - passed} failed\n`);
  }, 120_000);

  /** Time until every partition of the event topics has all three replicas in sync again. */
  const healed = async (since: number) => {
    await pollUntil(async () => (await underReplicated(kafka.brokers, topics, kafka.size)).length === 0, { what: 'all replicas in sync', timeoutMs: 120_000, intervalMs: 250 });
    return Date.now() - since;
  };

  check('keeps taking writes through a killed broker, replicas killed -9, a broker restart and PostgreSQL stopped for 10 s', async () => {
    driver = new LoadDriver({ customers: liveUrls(replicas.customers), receivables: liveUrls(replicas.receivables) }, today);
    const load = driver.run(10);
    try {
      await faults();
    } finally {
      // Stopped whatever happened: the checks below count what it was told was accepted.
      await driver.stop();
      await load;
    }
    // A broker lost or restarted costs the client nothing: writes wait in the outbox.
    expect(driver.failures.filter((f) => f.phase.startsWith('broker'))).toEqual([]);
    expect(driver.accepted.filter((a) => a.kind === 'payment').length).toBeGreaterThan(30);
  }, 1_500_000);

  async function faults() {
    await pause(5_000);

    driver.phase = 'broker killed';
    await kafka.kill(1);
    await pause(10_000);
    const back = Date.now();
    await kafka.start(1);
    recovery.push(['broker killed -9 for 10 s: back in sync', await healed(back)]);

    driver.phase = 'replicas killed';
    for (const service of SERVICES) {
      for (const replica of replicas[service]) {
        await replica.kill();
        recovery.push([`${service} replica ${replica.index + 1} killed -9: ready again`, await replica.start()]);
        await pause(1_000);
      }
    }

    driver.phase = 'broker restarted';
    await kafka.stop(2);
    const restarted = Date.now();
    await kafka.start(2);
    recovery.push(['broker restarted: back in sync', await healed(restarted)]);

    driver.phase = 'postgres stopped';
    const acceptedBefore = driver.accepted.length;
    await postgres.stop();
    await pause(10_000);
    await postgres.start();
    const upAt = Date.now();
    driver.phase = 'postgres back';
    await pollUntil(async () => driver.accepted.slice(acceptedBefore).some((a) => a.at > upAt), { what: 'a command accepted after PostgreSQL is back', timeoutMs: 60_000, intervalMs: 100 });
    recovery.push(['PostgreSQL stopped 10 s: first command accepted after', Date.now() - upAt]);

    driver.phase = 'steady';
    await pause(5_000);
  }

  check('has every accepted command in the log exactly once', async () => {
    const checks: [ServiceName, string, string, 'registration' | 'invoice' | 'payment'][] = [
      ['customers', 'CustomerRegistered', 'customerId', 'registration'],
      ['receivables', 'InvoiceIssued', 'invoiceId', 'invoice'],
      ['receivables', 'PaymentReceived', 'paymentId', 'payment'],
    ];
    for (const [service, type, field, kind] of checks) {
      const stored = await storedCounts(pools[service], type, field);
      const accepted = driver.accepted.filter((a) => a.kind === kind).map((a) => a.id);
      expect(new Set(accepted).size).toBe(accepted.length);
      expect(accepted.filter((id) => stored.get(id) !== 1)).toEqual([]);
      // No event for a command the client was never told was accepted (a retry recorded twice).
      // Only a command the client gave up on (its answer lost, then every retry timed out) may
      // have landed without a 2xx; each retry carried the key, so it cannot have landed twice.
      const unseen = [...stored.keys()].filter((id) => !accepted.includes(id)).length;
      const abandoned = driver.abandoned.filter((a) => a.kind === kind).length;
      expect(unseen).toBeLessThanOrEqual(abandoned);
      expect(abandoned).toBeLessThanOrEqual(Math.ceil(accepted.length * 0.02));
      process.stdout.write(`${kind}: ${accepted.length} accepted, ${abandoned} abandoned by the client, ${unseen} of those landed\n`);
    }
  });

  check('publishes every stored event, has every consumer caught up, nothing parked, and the cluster healed', async () => {
    const storedIds = async (service: ServiceName) =>
      new Set((await pools[service].query('SELECT event_id::text AS id FROM events')).rows.map((r) => r.id as string));
    // Every service is looked at (a failure names each that failed, not only the first).
    const unpublished: string[] = [];
    for (const service of SERVICES) await publishedCheck(service).catch((error) => unpublished.push(`${service}: ${(error as Error).message}`));
    expect(unpublished).toEqual([]);
    async function publishedCheck(service: ServiceName) {
      const stored = await storedIds(service);
      const topic = eventsTopic(service, prefix);
      let lastRead = new Map<string, number>();
      const published = await pollUntil(async () => {
        lastRead = await publishedIds(kafka.brokers, topic);
        return [...stored].every((id) => lastRead.has(id)) ? lastRead : undefined;
      }, { what: `every ${service} event on ${topic}`, timeoutMs: 60_000, intervalMs: 1_000 }).catch(async (error) => {
        // Where the relay stands and what it has not published: what a failed run must tell.
        const missing = [...stored].filter((id) => !lastRead.has(id));
        const replicaRelays = await Promise.all(replicas[service].map(async (r) => r.url
          ? fetch(`${r.url}/health/relay`).then(async (res) => ({ replica: r.index + 1, status: res.status, body: await res.json() })).catch((e) => ({ replica: r.index + 1, error: String(e) }))
          : { replica: r.index + 1, running: false }));
        const state = JSON.stringify({ ...(await relayState(pools[service], missing)), replicaRelays }, null, 1);
        writeFileSync(path.join(logDir, `${service}-relay-state.json`), state);
        throw new Error(`${(error as Error).message}: ${missing.length} of ${stored.size} not published; relay: ${state.slice(0, 1500)}`);
      });
      // Policies still append while consumers catch up: what is on the topic is compared with
      // the store as it is now, read after the topic.
      const storedNow = await storedIds(service);
      expect([service, [...published.keys()].filter((id) => !storedNow.has(id))]).toEqual([service, []]);
    }
    for (const service of SERVICES) {
      await pollUntil(async () => (await consumersBehind(pools[service], kafka.brokers)).length === 0, { what: `${service}'s consumers caught up`, timeoutMs: 60_000, intervalMs: 500 });
      const { rows: parked } = await pools[service].query(`SELECT consumer, error FROM parked_events WHERE replayed_at IS NULL`);
      expect([service, parked.map((p) => `${p.consumer}: ${p.error}`)]).toEqual([service, []]);
    }
    expect(await underReplicated(kafka.brokers, topics, kafka.size)).toEqual([]);
  }, 600_000);

  check('has every read model equal to a clean rebuild and every hash chain intact (the audit CLI)', async () => {
    const findings: unknown[] = [];
    for (const service of SERVICES) {
      const [replica] = replicas[service];
      const compared = await audit(replica, 'rebuild', '--projection', 'all', '--compare');
      if (compared.code !== 0) {
        // The whole output, and where the rows only one side has are on the topics (a first copy behind a higher log position is dropped by a rebuild as a repeat).
        const ids = [...compared.output.matchAll(/([0-9a-f-]{36}): only in the (?:live|rebuilt) rows/g)].map((m) => m[1]);
        const trails = await Promise.all(topics.map(async (t) => [t, ...positionTrail(await readTopic(kafka.brokers, t), ids).filter((l) => !l.endsWith('not on the topic'))]));
        writeFileSync(path.join(logDir, `${service}-compare.txt`), `${compared.output}\n\n${trails.map((t) => t.join('\n  ')).join('\n')}\n`);
      }
      if (compared.code !== 0) findings.push([service, 'rebuild --compare', compared.code, compared.output.slice(-2000)]);
      const verified = await audit(replica, 'verify');
      if (verified.code !== 0) findings.push([service, 'verify', verified.code, verified.output.slice(-2000)]);
    }
    expect(findings).toEqual([]);
  }, 600_000);
});
