import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Pool } from 'pg';
import { Public } from '../auth/auth.decorators';
import { PG_POOL } from '../eventing/tokens';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

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
    try {
      await this.pool.query('SELECT 1');
      return { status: 'ok', checks: { database: 'up' } };
    } catch (error: any) {
      throw new ServiceUnavailableException(`database unavailable: ${error?.message ?? error}`);
    }
  }
}
