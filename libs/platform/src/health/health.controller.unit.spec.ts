import { ServiceUnavailableException } from '@nestjs/common';
import { RelayHealth } from '@crm/eventing';
import { Pool } from 'pg';
import { RelayService } from '../eventing/relay.service';
import { DrainState } from './drain-state';
import { HealthController } from './health.controller';

describe('health', () => {
  const answering = { query: async () => ({ rows: [{ '?column?': 1 }] }) } as unknown as Pool;
  const drainState = () => new DrainState({ warn: () => undefined } as any);
  const relayReporting = (health: Partial<RelayHealth>) => ({
    health: () => ({ state: 'publishing', stalled: false, secondsWithoutProgress: 0, stallAfterSeconds: 60, ...health }),
  }) as unknown as RelayService;
  const publishing = relayReporting({});
  const recordStatus = () => {
    const response = { code: 200, status(code: number) { this.code = code; } };
    return response;
  };

  it('is ready while the database answers, and stops being ready once shutdown begins', async () => {
    const drain = drainState();
    const health = new HealthController(answering, drain, publishing);
    expect(await health.ready()).toEqual({ status: 'ok', checks: { database: 'up' } });
    drain.beforeApplicationShutdown('SIGTERM');
    await expect(health.ready()).rejects.toBeInstanceOf(ServiceUnavailableException);
    expect(health.live()).toEqual({ status: 'ok' });
  });

  it('is not ready when the database fails, without echoing its error text', async () => {
    const failing = { query: async () => { throw Object.assign(new Error('password authentication failed for user "crm"'), { code: '28P01' }); } } as unknown as Pool;
    const error = await new HealthController(failing, drainState(), publishing).ready().catch((e) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableException);
    expect(error.message).toBe('database unavailable (28P01)');
  });

  it('reports a stalled relay as 503 on /health/relay while readiness stays up', async () => {
    const stalled = relayReporting({ state: 'stalled', stalled: true, secondsWithoutProgress: 75 });
    const health = new HealthController(answering, drainState(), stalled);
    const response = recordStatus();
    expect(health.relayHealth(response)).toEqual({ status: 'stalled', relay: expect.objectContaining({ state: 'stalled', secondsWithoutProgress: 75 }) });
    expect(response.code).toBe(503);
    expect(await health.ready()).toEqual({ status: 'ok', checks: { database: 'up' } });

    const fine = recordStatus();
    expect(new HealthController(answering, drainState(), relayReporting({ state: 'standby' })).relayHealth(fine).status).toBe('ok');
    expect(fine.code).toBe(200);
  });
});
