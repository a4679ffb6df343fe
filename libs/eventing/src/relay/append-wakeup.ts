import { Pool, PoolClient } from 'pg';
import { Logger } from 'pino';
import { APPEND_CHANNEL } from '../store/append-notifier';

export { APPEND_CHANNEL };

/**
 * Wakes the relay when a commit appended events (LISTEN on one held connection): the time from
 * a command's commit to its publish is the relay's cycle, not its poll interval. Polling stays
 * as the fallback: a lost connection, or a notification missed while reconnecting, costs at
 * most one poll interval.
 */
export class AppendWakeup {
  private client?: PoolClient;
  private connecting?: Promise<void>;
  private pending = false;
  private wake?: () => void;
  private closed = false;

  constructor(private readonly pool: Pool, private readonly logger?: Logger) {}

  get listening(): boolean {
    return this.client !== undefined;
  }

  /**
   * Resolves on the next notification (or one that came since the last wait), or after
   * `fallbackMs`; true when a notification (or a lost connection) ended it.
   */
  async wait(fallbackMs: number): Promise<boolean> {
    if (this.closed) return false;
    void this.ensureListening();
    if (this.pending) {
      this.pending = false;
      return true;
    }
    const woken = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), fallbackMs);
      this.wake = () => { clearTimeout(timer); resolve(true); };
    });
    this.wake = undefined;
    this.pending = false;
    return woken;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    this.wake?.();
    if (client) {
      await client.query(`UNLISTEN ${APPEND_CHANNEL}`).catch(() => undefined);
      client.release();
    }
  }

  private ensureListening(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.listen().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async listen(): Promise<void> {
    let client: PoolClient | undefined;
    try {
      client = await this.pool.connect();
      client.on('notification', () => {
        this.pending = true;
        this.wake?.();
      });
      // A dropped connection: back to polling until the next wait reconnects.
      client.on('error', () => this.drop(client!));
      await client.query(`LISTEN ${APPEND_CHANNEL}`);
      this.client = client;
      // Appends that committed while connecting were not heard: look once more.
      this.pending = true;
      this.wake?.();
    } catch (error) {
      this.logger?.debug({ err: error }, 'relay: LISTEN for appends failed; polling');
      if (client) client.release(true);
    }
  }

  private drop(client: PoolClient): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.release(true);
    // The waiting relay looks once (it may have missed a commit) and listens again on its next wait.
    this.wake?.();
  }
}
