// The official apache/kafka image in KRaft mode under testcontainers (the Docker branch of
// ensure-infra.cjs). @testcontainers/kafka 12.2's KafkaContainer is written for Confluent's
// cp-kafka images: `withKraft()` compares the tag with Confluent Platform versions and throws
// "version 4.1.1 is not supported in Kraft mode". This is a GenericContainer with the image's
// own configuration variables instead, started the way testcontainers-java starts apache/kafka:
// clients on the host must be told the host port Docker mapped, which is known only once the
// container runs, so the container's command waits for a starter script that exports
// KAFKA_ADVERTISED_LISTENERS with that port, copied in then.
const { BoundPorts, GenericContainer, getContainerRuntimeClient, Wait, waitForContainer } = require('testcontainers');

const IMAGE = 'apache/kafka:4.1.1';
/** Clients on the host: advertised as <docker host>:<mapped port>. */
const CLIENT_PORT = 9092;
/** Between brokers, inside the container's network: advertised as <container hostname>:9093. */
const BROKER_PORT = 9093;
const CONTROLLER_PORT = 9094;
const STARTER_SCRIPT = '/tmp/crm-kafka-start.sh';
// Written after the script, so the wait loop never runs a script docker cp still holds open.
const STARTER_READY = '/tmp/crm-kafka-start.ready';
const WAITING_LINE = 'crm: waiting for the starter script';
// Logged by KafkaRaftServer once the broker serves clients.
const READY_LINE = /Kafka Server started/;
const STARTUP_TIMEOUT_MS = 120_000;

/** The image's configuration variables (KAFKA_x_y = x.y), as infra/local/kafka.sh configures its broker. */
function kraftEnvironment() {
  return {
    // /etc/kafka/docker/run fills every unset variable with its own defaults (listeners on
    // 29092/29093 among them), so everything the node needs is spelled out here.
    // Any base64 UUID (kafka-storage random-uuid); one fixed id, each container formats its own log.
    CLUSTER_ID: 'nPuhjklG8dZfUWYcZuVVgg',
    KAFKA_NODE_ID: '1',
    KAFKA_PROCESS_ROLES: 'broker,controller',
    KAFKA_CONTROLLER_QUORUM_VOTERS: `1@localhost:${CONTROLLER_PORT}`,
    KAFKA_LISTENERS: `PLAINTEXT://0.0.0.0:${CLIENT_PORT},BROKER://0.0.0.0:${BROKER_PORT},CONTROLLER://0.0.0.0:${CONTROLLER_PORT}`,
    KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT',
    KAFKA_INTER_BROKER_LISTENER_NAME: 'BROKER',
    KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
    KAFKA_LOG_DIRS: '/tmp/kraft-combined-logs',
    // A single node cannot satisfy replication factors of 3.
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
    KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
    KAFKA_MIN_INSYNC_REPLICAS: '1',
    // Services create their topics explicitly, with partition counts from their configuration.
    KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    KAFKA_NUM_PARTITIONS: '1',
    KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: '10',
  };
}

/** What the container runs once the mapped port is known. */
function starterScript({ host, mappedPort, containerHostname }) {
  return [
    '#!/bin/bash',
    `export KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://${host}:${mappedPort},BROKER://${containerHostname}:${BROKER_PORT}`,
    'exec /etc/kafka/docker/run',
    '',
  ].join('\n');
}

class ApacheKafkaContainer extends GenericContainer {
  constructor(image = IMAGE) {
    super(image);
    this.readyWaitStrategy = Wait.forLogMessage(READY_LINE);
    this.withExposedPorts(CLIENT_PORT)
      .withEnvironment(kraftEnvironment())
      // The image's CMD is /etc/kafka/docker/run; its entrypoint runs whatever command it gets.
      .withCommand(['sh', '-c', `echo '${WAITING_LINE}'; while [ ! -f ${STARTER_READY} ]; do sleep 0.1; done; exec ${STARTER_SCRIPT}`])
      // testcontainers waits for this line, then calls containerStarted() below.
      .withWaitStrategy(Wait.forLogMessage(WAITING_LINE))
      .withStartupTimeout(STARTUP_TIMEOUT_MS);
  }

  /** testcontainers' hook: the container runs and its ports are mapped; start the broker. */
  async containerStarted(container, inspectResult) {
    const script = starterScript({
      host: container.getHost(), mappedPort: container.getMappedPort(CLIENT_PORT), containerHostname: inspectResult.hostname,
    });
    await container.copyContentToContainer([{ content: script, target: STARTER_SCRIPT, mode: 0o755 }]);
    await container.copyContentToContainer([{ content: '', target: STARTER_READY, mode: 0o644 }]);
    await this.waitUntilBrokerReady(container, inspectResult);
  }

  async waitUntilBrokerReady(container, inspectResult) {
    const client = await getContainerRuntimeClient();
    const dockerContainer = client.container.getById(container.getId());
    const boundPorts = BoundPorts.fromInspectResult(client.info.containerRuntime.hostIps, inspectResult).filter(this.exposedPorts);
    await waitForContainer(client, dockerContainer, this.readyWaitStrategy.withStartupTimeout(STARTUP_TIMEOUT_MS), boundPorts);
  }
}

/** Starts one broker; `brokers` is what KAFKA_BROKERS should be on the host. */
async function startKafkaContainer(image = IMAGE) {
  const container = await new ApacheKafkaContainer(image).start();
  return { brokers: `${container.getHost()}:${container.getMappedPort(CLIENT_PORT)}`, stop: () => container.stop() };
}

module.exports = {
  ApacheKafkaContainer, startKafkaContainer, kraftEnvironment, starterScript,
  IMAGE, CLIENT_PORT, BROKER_PORT, CONTROLLER_PORT, STARTER_SCRIPT, STARTER_READY, WAITING_LINE, READY_LINE,
};
