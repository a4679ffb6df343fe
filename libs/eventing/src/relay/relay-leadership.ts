import { Pool, PoolClient } from 'pg';

/**
 * One active relay per service. A session-level advisory lock on a dedicated connection is
 * released by PostgreSQL the moment the holder dies (its connection drops). The lease row
 * covers a holder that hangs with its connection open: once the lease runs out, a standby
 * terminates the holder's backend, which frees the lock. Checkpoint writes are fenced by
 * `holder`, so a deposed relay can never move the checkpoint.
 */
export class RelayLeadership {
  private lockClient?: PoolClient;

  constructor(
    private readonly pool: Pool,
    private readonly name: string,
    readonly holderId: string,
    private readonly leaseMs: number,
  ) {}

  private get lockKey(): string {
    return `relay:${this.name}`;
  }

  async tryAcquire(): Promise<boolean> {
    if (this.lockClient) return true;
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [this.lockKey]);
      if (!rows[0].ok) {
        await this.evictExpiredHolder();
        client.release();
        return false;
      }
      await client.query(
        `INSERT INTO relay_checkpoints (name, holder, lease_until)
         VALUES ($1, $2, now() + $3 * interval '1 millisecond')
         ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until`,
        [this.name, this.holderId, this.leaseMs]);
      // A broken lock connection means the lock is gone: drop leadership at once.
      client.on('error', () => this.lose());
      this.lockClient = client;
      return true;
    } catch (error) {
      client.release(true);
      throw error;
    }
  }

  get isLeader(): boolean {
    return this.lockClient !== undefined;
  }

  private async evictExpiredHolder(): Promise<void> {
    await this.pool.query(
      `SELECT pg_terminate_backend(l.pid)
         FROM pg_locks l JOIN relay_checkpoints c ON c.name = $1
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = ((hashtext($2)::bigint >> 32) & 4294967295)::oid
          AND l.objid = (hashtext($2)::bigint & 4294967295)::oid
          AND c.lease_until < now()`,
      [this.name, this.lockKey]);
  }

  lose(): void {
    const client = this.lockClient;
    this.lockClient = undefined;
    client?.release(true);
  }

  async release(): Promise<void> {
    const client = this.lockClient;
    if (!client) return;
    this.lockClient = undefined;
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [this.lockKey]).catch(() => undefined);
    client.release();
  }
}
