import { ServiceUnavailableException } from '@nestjs/common';
import { Pool } from 'pg';
import { DrainState } from './drain-state';
import { HealthController } from './health.controller';

describe('health', () => {
  const answering = { query: async () => ({ rows: [{ '?column?': 1 }] }) } as unknown as Pool;
  const drainState = () => new DrainState({ warn: () => undefined } as any);

  it('is ready while the database answers, and stops being ready once shutdown begins', async () => {
    const drain = drainState();
    const health = new HealthController(answering, drain);
    expect(await health.ready()).toEqual({ status: 'ok', checks: { database: 'up' } });
    drain.beforeApplicationShutdown('SIGTERM');
    await expect(health.ready()).rejects.toBeInstanceOf(ServiceUnavailableException);
    expect(health.live()).toEqual({ status: 'ok' });
  });

  it('is not ready when the database fails, without echoing its error text', async () => {
    const failing = { query: async () => { throw Object.assign(new Error('password authentication failed for user "crm"'), { code: '28P01' }); } } as unknown as Pool;
    const error = await new HealthController(failing, drainState()).ready().catch((e) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableException);
    expect(error.message).toBe('database unavailable (28P01)');
  });
});
