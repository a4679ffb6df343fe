// The Docker branch of the test infrastructure, checked without Docker: the container
// definition (image, environment, ports, command, wait strategies) and the starter script it
// writes once the mapped port is known. The real run needs a Docker engine.
/* eslint-disable @typescript-eslint/no-require-imports */
const kafkaContainer = require('./kafka-container.cjs');

const { ApacheKafkaContainer, CLIENT_PORT, BROKER_PORT, CONTROLLER_PORT, STARTER_SCRIPT, STARTER_READY, WAITING_LINE } = kafkaContainer;

/** KAFKA_LISTENERS-style lists: NAME://host:port,… → { NAME: port }. */
function listeners(value: string): Record<string, number> {
  return Object.fromEntries(value.split(',').map((l) => {
    const [, name, port] = /^([A-Z_]+):\/\/[^:]*:(\d+)$/.exec(l) ?? [];
    return [name, Number(port)];
  }));
}

describe('apache/kafka in KRaft mode under testcontainers (infra/local/kafka-container.cjs)', () => {
  it('is what @testcontainers/kafka 12.2 refuses: its KafkaContainer takes 4.1.1 for a Confluent version', () => {
    const { KafkaContainer } = require('@testcontainers/kafka');
    expect(() => new KafkaContainer('apache/kafka:4.1.1').withKraft()).toThrow(/4\.1\.1 is not supported in Kraft mode/);
  });

  it('defines a single combined broker+controller node whose listeners, voters and names agree', () => {
    const container = new ApacheKafkaContainer();
    expect(container.imageName.string).toBe('apache/kafka:4.1.1');
    const env: Record<string, string> = container.environment;
    expect(env).toMatchObject({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    });
    // A KRaft cluster id is a base64url UUID: 16 bytes, 22 characters.
    expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(env.CLUSTER_ID, 'base64url')).toHaveLength(16);

    const listening = listeners(env.KAFKA_LISTENERS);
    expect(listening).toEqual({ PLAINTEXT: CLIENT_PORT, BROKER: BROKER_PORT, CONTROLLER: CONTROLLER_PORT });
    expect(env.KAFKA_LISTENERS.split(',').every((l) => l.includes('://0.0.0.0:'))).toBe(true);
    // Every listener has a protocol; the controller quorum is this node on its controller port.
    const protocols = Object.fromEntries(env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP.split(',').map((p) => p.split(':')));
    expect(Object.keys(protocols).sort()).toEqual(Object.keys(listening).sort());
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe(`${env.KAFKA_NODE_ID}@localhost:${listening.CONTROLLER}`);
    // Advertised listeners are not fixed here: they need the host port Docker maps.
    expect(env.KAFKA_ADVERTISED_LISTENERS).toBeUndefined();
  });

  it('exposes the client port and holds the broker back until the starter script is in place', () => {
    const container = new ApacheKafkaContainer();
    expect(container.exposedPorts).toEqual([CLIENT_PORT]);
    const [shell, flag, script] = container.createOpts.Cmd;
    expect([shell, flag]).toEqual(['sh', '-c']);
    expect(script).toBe(`echo '${WAITING_LINE}'; while [ ! -f ${STARTER_READY} ]; do sleep 0.1; done; exec ${STARTER_SCRIPT}`);
    expect(container.createOpts.Entrypoint).toBeUndefined(); // the image's entrypoint runs the command
    // testcontainers first waits for the waiting line, then containerStarted() starts the broker.
    expect(container.waitStrategy.message).toBe(WAITING_LINE);
    expect(container.readyWaitStrategy.message).toEqual(/Kafka Server started/);
    expect(container.startupTimeoutMs).toBe(120_000);
  });

  it('once running, advertises the mapped host port to clients, then waits for the broker', async () => {
    const container = new ApacheKafkaContainer();
    const steps: string[] = [];
    const copied: Array<{ content: string; target: string; mode: number }> = [];
    container.waitUntilBrokerReady = async () => { steps.push('wait for broker'); };
    const started = {
      getHost: () => 'docker.example',
      getMappedPort: (port: number) => (port === CLIENT_PORT ? 55123 : undefined),
      copyContentToContainer: async (contents: typeof copied) => { copied.push(...contents); steps.push(`copy ${contents[0].target}`); },
    };
    await container.containerStarted(started, { hostname: 'c0ffee123456' });

    expect(steps).toEqual([`copy ${STARTER_SCRIPT}`, `copy ${STARTER_READY}`, 'wait for broker']);
    expect(copied[0].mode).toBe(0o755);
    expect(copied[0].content).toBe([
      '#!/bin/bash',
      `export KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://docker.example:55123,BROKER://c0ffee123456:${BROKER_PORT}`,
      'exec /etc/kafka/docker/run',
      '',
    ].join('\n'));
  });

  it('is what ensure-infra starts when a Docker engine answers', async () => {
    jest.resetModules();
    const stop = jest.fn();
    jest.doMock('node:child_process', () => ({ ...jest.requireActual('node:child_process'), spawnSync: () => ({ status: 0 }) }));
    jest.doMock('./kafka-container.cjs', () => ({ startKafkaContainer: async () => ({ brokers: 'docker.example:55123', stop }) }));
    const saved = { KAFKA_BROKERS: process.env.KAFKA_BROKERS, CRM_NO_DOCKER: process.env.CRM_NO_DOCKER };
    delete process.env.KAFKA_BROKERS;
    delete process.env.CRM_NO_DOCKER;
    try {
      const { ensureKafka } = require('./ensure-infra.cjs');
      const kafka = await ensureKafka(() => undefined);
      expect(kafka.brokers).toBe('docker.example:55123');
      await kafka.stop();
      expect(stop).toHaveBeenCalled();
    } finally {
      Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([, v]) => v !== undefined)));
      jest.dontMock('node:child_process');
      jest.dontMock('./kafka-container.cjs');
    }
  });
});
