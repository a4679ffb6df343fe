import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Req, Res, Type } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { Role } from '../auth/roles';
import { BusinessClock } from '../clock/business-clock';
import { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../eventing/tokens';
import { eventMetadata } from '../http/command-context';
import { IsBusinessDate } from '../http/dto-validators';
import { BusinessDays } from './business-days';
import { DayCloseRun, DayCloseRuns } from './day-close-runs';

export class CloseDayDto {
  @ApiProperty({ example: '2026-02-01' }) @IsBusinessDate() businessDate: string;
}

export class DayCloseRunDto {
  @ApiProperty({ example: '2026-02-01' }) businessDate: string;
  @ApiProperty({ enum: ['pending', 'running', 'completed', 'superseded'] }) status: string;
  @ApiProperty({ example: '/v1/operations/close-day/2026-02-01', description: 'where to follow the run' }) progress: string;
  @ApiProperty({ description: 'what the date had work for (accounts, customers…)' }) accounts: number;
  @ApiProperty() accountsDone: number;
  @ApiProperty({ example: { InvoiceBecameOverdue: 12, DunningLevelRaised: 9 }, description: 'events recorded, by type' }) recorded: Record<string, number>;
  @ApiProperty({ required: false, description: 'true when the date was already closed: this request recorded nothing' }) alreadyClosed?: boolean;
}

const POLL_MS = 100;

/** The figures a close answers with: what it had work for, what it did, events by type. */
function summary(run: DayCloseRun) {
  return { accounts: run.accountsDue, accountsDone: run.accountsDone, recorded: run.recorded };
}

/**
 * `POST /v1/operations/close-day` records the service's `…BusinessDayClosed`; its day-close
 * policy then does the work. The request waits for it up to `CLOSE_DAY_WAIT_MS`: 200 with the
 * outcome when it finished in time, else 202 with the run to follow. Re-posting a closed date
 * records nothing and says so; a date before the last closed one is refused (409).
 */
export function closeDayController(roles: Role[]): Type<unknown> {
  @ApiTags('operations')
  @ApiBearerAuth()
  @Controller('v1/operations/close-day')
  class CloseDayController {
    constructor(
      readonly days: BusinessDays,
      readonly runs: DayCloseRuns,
      readonly clock: BusinessClock,
      @Inject(SERVICE_CONFIG) readonly config: ServiceConfig,
    ) {}

    @Post()
    @HttpCode(200)
    @Roles(...roles)
    @ApiOkResponse({ type: DayCloseRunDto, description: 'the close finished within CLOSE_DAY_WAIT_MS (or the date was already closed)' })
    @ApiAcceptedResponse({ type: DayCloseRunDto, description: 'recorded; the work is still running: follow `Location`' })
    async close(@Body() body: CloseDayDto, @Req() request: any, @Res({ passthrough: true }) response: any) {
      const closedNow = await this.days.close(body.businessDate, eventMetadata(request, 'CloseDay'), this.clock.now().now);
      const link = `/v1/operations/close-day/${body.businessDate}`;
      if (!closedNow) {
        // Already closed: this request records nothing; the first one's run carries the work.
        const run = await this.runs.find(body.businessDate);
        return { businessDate: body.businessDate, status: run?.status ?? 'pending', progress: link, alreadyClosed: true, accounts: 0, recorded: {} };
      }
      const run = await this.waitForRun(body.businessDate, Date.now() + this.config.closeDayWaitMs);
      if (run?.status !== 'completed') {
        response.status(202).setHeader('Location', link);
        return { businessDate: body.businessDate, status: run?.status ?? 'pending', progress: link, ...(run && summary(run)) };
      }
      return { businessDate: body.businessDate, status: run.status, progress: link, ...summary(run) };
    }

    @Get(':businessDate')
    @Roles(...new Set<Role>([...roles, 'auditor', 'admin']))
    @ApiOkResponse({ type: DayCloseRunDto, description: 'the run of that date: 404 when none has started' })
    async progress(@Param() { businessDate }: CloseDayDto) {
      const run = await this.runs.find(businessDate);
      if (!run) throw new NotFoundException(`no close of ${businessDate} has started`);
      return { ...run, ...summary(run) };
    }

    async waitForRun(businessDate: string, deadline: number): Promise<DayCloseRun | undefined> {
      for (;;) {
        const run = await this.runs.find(businessDate);
        if ((run && run.status !== 'running') || Date.now() >= deadline) return run;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }
  }
  return CloseDayController;
}
