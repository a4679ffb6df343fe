import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { freePort } from '../service-process';

const root = path.resolve(__dirname, '../../../..');

export interface OwnKafkaBroker {
  /** `127.0.0.1:<port>`, for KAFKA_BROKERS. */
  brokers: string;
  start(): Promise<void>;
  /** A controlled shutdown; the data stays, so start() brings the same topics back. */
  stop(): Promise<void>;
  /** Stops the broker and deletes its data. */
  remove(): Promise<void>;
}

/**
 * A Kafka broker of the calling spec's own, for tests that stop and start Kafka: the run's
 * shared broker must never be touched. It is infra/local/kafka.sh on two free ports, with its
 * data and logs in a fresh directory and the jars of .local/kafka/libs (linked, not copied;
 * kafka.sh fetches them there when that directory has none).
 */
export async function ownKafkaBroker(): Promise<OwnKafkaBroker> {
  const [port, controllerPort] = [await freePort(), await freePort()];
  const homeDir = path.join(os.tmpdir(), `crm-kafka-${randomUUID().slice(0, 8)}`);
  mkdirSync(homeDir, { recursive: true });
  const libs = path.join(homeDir, 'libs');
  if (!existsSync(libs)) symlinkSync(path.join(root, '.local/kafka/libs'), libs);
  const env = { ...process.env, KAFKA_PORT: String(port), KAFKA_CONTROLLER_PORT: String(controllerPort), KAFKA_HOME_DIR: homeDir };
  const run = (command: 'start' | 'stop') => new Promise<void>((resolve, reject) => {
    execFile(path.join(root, 'infra/local/kafka.sh'), [command], { env, timeout: 180_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`kafka.sh ${command} (port ${port}) failed: ${error.message}\n${stdout}${stderr}`));
      else resolve();
    });
  });
  return {
    brokers: `127.0.0.1:${port}`,
    start: () => run('start'),
    stop: () => run('stop'),
    remove: async () => {
      await run('stop');
      rmSync(homeDir, { recursive: true, force: true });
    },
  };
}
