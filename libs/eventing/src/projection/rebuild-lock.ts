import { Pool, PoolClient } from 'pg';
import { Logger } from 'pino';

/**
 * Session advisory lock: one replica runs (or resumes) a projection's rebuild. It lives as
 * long as the connection that took it.
 */
export class RebuildLock {
  private client?: PoolClient;

  constructor(
    private readonly pool: Pool,
    private readonly projection: string,
    private readonly logger?: Logger,
  ) {}

  /** True when this replica holds the lock (already, or now); false when another one does. */
  async acquire(): Promise<boolean> {
    if (this.client) return true;
    const client = await this.pool.connect();
    const { rows } = await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`projection-rebuild:${this.projection}`]);
    if (!rows[0].ok) {
      client.release();
      return false;
    }
    // If the server drops this connection the lock is gone with it: forget it instead of
    // crashing on an unhandled 'error' event (the resume logic takes over on restart).
    client.on('error', (error) => {
      this.logger?.warn({ err: error, projection: this.projection }, 'rebuild lock connection lost');
      this.client = undefined;
    });
    this.client = client;
    return true;
  }

  release(): void {
    // Releasing the connection ends the session, and with it the advisory lock.
    this.client?.release(true);
    this.client = undefined;
  }
}
