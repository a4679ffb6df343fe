import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Pool } from 'pg';
import { Public } from '../auth/auth.decorators';
import { PG_POOL } from '../eventing/tokens';
import { DrainState } from './drain-state';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool, private readonly drain: DrainState) {}

  /** Liveness: the process answers; never checks dependencies (a DB outage must not restart pods). */
  @Public()
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Readiness: this replica can serve, i.e. its database answers. */
  @Public()
  @Get('ready')
  @HttpCode(200)
  async ready() {
    if (this.drain.draining) throw new ServiceUnavailableException('shutting down');
    try {
      await this.pool.query('SELECT 1');
      return { status: 'ok', checks: { database: 'up' } };
    } catch (error: any) {
      // The cause goes to the log of whoever watches the database, not to every prober.
      throw new ServiceUnavailableException(`database unavailable${error?.code ? ` (${error.code})` : ''}`);
    }
  }
}
