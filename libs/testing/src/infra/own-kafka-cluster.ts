import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../service-process';
import { portAnswers } from './port-answers';

const root = path.resolve(__dirname, '../../../..');

export interface OwnKafkaCluster {
  /** `127.0.0.1:<port>,…`, for KAFKA_BROKERS. */
  brokers: string;
  size: number;
  /** SIGKILL one node (0-based): no controlled shutdown; its partitions fail over. */
  kill(node: number): Promise<void>;
  /** SIGTERM one node: a controlled shutdown, leadership moved away first. */
  stop(node: number): Promise<void>;
  /** Starts a stopped or killed node again on its ports and data. */
  start(node: number): Promise<void>;
  /** Kills every node and deletes the data. */
  remove(): Promise<void>;
}

/** Production durability on loopback: every write on two of three replicas before it is acknowledged. */
function nodeProperties(node: number, ports: number[], controllerPorts: number[], dataDir: string): string {
  const size = ports.length;
  const minIsr = Math.min(2, size);
  return [
    'process.roles=broker,controller',
    `node.id=${node + 1}`,
    `controller.quorum.voters=${controllerPorts.map((port, i) => `${i + 1}@127.0.0.1:${port}`).join(',')}`,
    `listeners=PLAINTEXT://127.0.0.1:${ports[node]},CONTROLLER://127.0.0.1:${controllerPorts[node]}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${ports[node]}`,
    'inter.broker.listener.name=PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${dataDir}`,
    `default.replication.factor=${size}`,
    `min.insync.replicas=${minIsr}`,
    `offsets.topic.replication.factor=${size}`,
    `transaction.state.log.replication.factor=${size}`,
    `transaction.state.log.min.isr=${minIsr}`,
    `share.coordinator.state.topic.replication.factor=${size}`,
    `share.coordinator.state.topic.min.isr=${minIsr}`,
    'unclean.leader.election.enable=false',
    'auto.create.topics.enable=false',
    'group.initial.rebalance.delay.ms=0',
    'offsets.topic.num.partitions=10',
    // A killed node's partitions move to the others within seconds, not the default 18 s.
    'broker.session.timeout.ms=6000',
    'broker.heartbeat.interval.ms=1000',
  ].join('\n');
}

/**
 * A Kafka cluster of the calling spec's own (KRaft, each node broker and controller), for fault
 * tests that kill brokers: the same Maven Central jars as infra/local/kafka.sh (`kafka.sh libs`
 * fetches them), free ports, data in a fresh directory. Three nodes by default.
 */
export async function ownKafkaCluster(size = 3): Promise<OwnKafkaCluster> {
  const libs = execFileSync(path.join(root, 'infra/local/kafka.sh'), ['libs'], { encoding: 'utf8' }).trim().split('\n').pop()!;
  const home = path.join(os.tmpdir(), `crm-kafka-cluster-${randomUUID().slice(0, 8)}`);
  const ports: number[] = [];
  const controllerPorts: number[] = [];
  for (let i = 0; i < size; i++) ports.push(await freePort());
  for (let i = 0; i < size; i++) controllerPorts.push(await freePort());
  const nodeDir = (node: number) => path.join(home, `node-${node + 1}`);
  const jvm = (node: number) => ['-cp', `${libs}/*`, `-Dlog4j2.configurationFile=${path.join(root, 'infra/local/kafka/log4j2.yaml')}`, `-Dkafka.logs.dir=${nodeDir(node)}`];
  const clusterId = execFileSync('java', [...jvm(0), 'kafka.tools.StorageTool', 'random-uuid'], { encoding: 'utf8' }).trim();
  const propertyFiles = ports.map((_, node) => {
    mkdirSync(nodeDir(node), { recursive: true });
    const file = path.join(nodeDir(node), 'server.properties');
    writeFileSync(file, nodeProperties(node, ports, controllerPorts, path.join(nodeDir(node), 'data')));
    // KRaft refuses an unformatted log dir; every node of one cluster carries the same cluster id.
    execFileSync('java', [...jvm(node), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', file, '--ignore-formatted'], { stdio: 'ignore' });
    return file;
  });
  const processes: (ChildProcess | null)[] = new Array(size).fill(null);
  const launch = (node: number) => {
    const out = openSync(path.join(nodeDir(node), 'kafka.out'), 'a');
    const child = spawn('java', ['-Xms128m', '-Xmx384m', ...jvm(node), 'kafka.Kafka', propertyFiles[node]], { stdio: ['ignore', out, out], detached: true });
    child.unref();
    processes[node] = child;
  };
  const until = async (node: number, answering: boolean) => {
    const deadline = Date.now() + 120_000;
    while ((await portAnswers(ports[node])) !== answering) {
      if (Date.now() > deadline) throw new Error(`kafka node ${node + 1} did not ${answering ? 'start' : 'stop'} within 120 s (logs in ${nodeDir(node)})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const signal = async (node: number, name: NodeJS.Signals) => {
    const child = processes[node];
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(name);
      await exited;
    }
    await until(node, false);
  };
  ports.forEach((_, node) => launch(node));
  // A node opens its client port once it has joined the quorum: every port answering = up.
  for (let node = 0; node < size; node++) await until(node, true);
  return {
    brokers: ports.map((port) => `127.0.0.1:${port}`).join(','),
    size,
    kill: (node) => signal(node, 'SIGKILL'),
    stop: (node) => signal(node, 'SIGTERM'),
    start: async (node) => { launch(node); await until(node, true); },
    remove: async () => {
      await Promise.all(ports.map((_, node) => signal(node, 'SIGKILL').catch(() => undefined)));
      rmSync(home, { recursive: true, force: true });
    },
  };
}
