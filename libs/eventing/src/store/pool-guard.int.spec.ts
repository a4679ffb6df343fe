import { freshEventingDatabase, TestDatabase } from '@crm/testing';
import { Pool } from 'pg';
import { guardCheckedOutClients } from './pool-guard';

describe('guardCheckedOutClients (real PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const heard: Error[] = [];
  beforeAll(async () => {
    db = await freshEventingDatabase();
    pool = guardCheckedOutClients(new Pool({ connectionString: db.url, max: 2 }), (error) => heard.push(error));
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('hears the error of a checked-out client whose backend PostgreSQL ends, and the pool serves on', async () => {
    const client = await pool.connect();
    try {
      const { rows: [row] } = await client.query('SELECT pg_backend_pid() AS pid');
      // As a server shutdown does while the holder awaits other work (the relay's lock connection).
      await db.pool.query('SELECT pg_terminate_backend($1)', [row.pid]);
      for (let i = 0; i < 50 && heard.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      // The server's FATAL notice, then the socket's end.
      expect(heard[0]?.message).toMatch(/terminating connection/);
      await expect(client.query('SELECT 1')).rejects.toThrow();
    } finally {
      client.release();
    }
    expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
  });

  it('adds one listener per client however often it is handed out', async () => {
    for (let i = 0; i < 5; i++) {
      const client = await pool.connect();
      expect(client.listenerCount('error')).toBe(1);
      client.release();
    }
  });
});
