import { Controller, Get, HttpCode, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Answers } from '../http/answers';
import { HealthStatusDto, ReadinessDto, RelayHealthDto } from '../http/platform-answers.dto';
import { Pool } from 'pg';
import { Public } from '../auth/auth.decorators';
import { RelayService } from '../eventing/relay.service';
import { PG_POOL } from '../eventing/tokens';
import { DrainState } from './drain-state';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly drain: DrainState,
    private readonly relay: RelayService,
  ) {}

  /** Liveness: the process answers; never checks dependencies (a DB outage must not restart pods). */
  @Public()
  @Get('live')
  @Answers(HealthStatusDto, { summary: 'Liveness: the process answers (checks no dependency)' })
  live() {
    return { status: 'ok' };
  }

  /**
   * Readiness: this replica can serve, i.e. its database answers. Deliberately not the relay:
   * commands land in the database (the outbox) and queries read it, so a Kafka outage must
   * not take every replica out of the Service; the relay publishes the backlog once it can.
   */
  @Public()
  @Get('ready')
  @HttpCode(200)
  @Answers(ReadinessDto, { summary: 'Readiness: this replica\'s database answers', problems: { 503: ['service-unavailable'] } })
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

  /**
   * The relay on this replica: 503 while it is stalled (no batch published and the log not
   * found caught up for longer than RELAY_STALL_SECONDS), 200 when publishing or standing by
   * for the replica that holds the relay lock. For monitoring and alerting, not a probe.
   */
  @Public()
  @Get('relay')
  @Answers(RelayHealthDto, { summary: 'The relay on this replica: publishing, standing by, or stalled (503)' })
  relayHealth(@Res({ passthrough: true }) response: { status(code: number): unknown }) {
    const relay = this.relay.health();
    if (relay.stalled) response.status(503);
    return { status: relay.stalled ? 'stalled' : 'ok', relay };
  }
}
