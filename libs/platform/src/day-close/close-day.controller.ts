import { Body, Controller, Get, Headers, HttpCode, Inject, NotFoundException, Param, Post, Req, Res, Type } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiProperty, ApiTags } from '@nestjs/swagger';
import { PostgresEventStore, requestHash } from '@crm/eventing';
import { Roles } from '../auth/auth.decorators';
import { Role } from '../auth/roles';
import { BusinessClock } from '../clock/business-clock';
import { ServiceConfig } from '../config/service-config';
import { EVENT_STORE, SERVICE_CONFIG } from '../eventing/tokens';
import { eventMetadata } from '../http/command-context';
import { PlatformRequest } from '../http/platform-request';
import { Answers } from '../http/answers';
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
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { InvoiceBecameOverdue: 12, DunningLevelRaised: 9 }, description: 'events recorded, by type' })
  recorded: Record<string, number>;
  @ApiProperty({ required: false, description: 'true when the date was already closed: this request recorded nothing' }) alreadyClosed?: boolean;
}

const POLL_MS = 100;

/** The figures a close answers with: what it had work for, what it did, events by type (none yet before the run starts). */
function summary(run: DayCloseRun | undefined) {
  return { accounts: run?.accountsDue ?? 0, accountsDone: run?.accountsDone ?? 0, recorded: run?.recorded ?? {} };
}

const progressLink = (businessDate: string) => `/v1/operations/close-day/${businessDate}`;

/**
 * `POST /v1/operations/close-day` records the service's `…BusinessDayClosed`; its day-close
 * policy then does the work. The request waits for it up to `CLOSE_DAY_WAIT_MS`: 200 with the
 * outcome when it finished in time, else 202 with the run to follow. Re-posting a closed date
 * records nothing and says so; a date before the last closed one is refused (409), and with
 * `notAfterToday` a date after today in BUSINESS_TIME_ZONE (422).
 */
export function closeDayController(roles: Role[], notAfterToday: boolean): Type<unknown> {
  @ApiTags('operations')
  @ApiBearerAuth()
  @Controller('v1/operations/close-day')
  class CloseDayController {
    constructor(
      readonly days: BusinessDays,
      readonly runs: DayCloseRuns,
      readonly clock: BusinessClock,
      @Inject(SERVICE_CONFIG) readonly config: ServiceConfig,
      @Inject(EVENT_STORE) readonly store: PostgresEventStore,
    ) {}

    @Post()
    @HttpCode(200)
    @Roles(...roles)
    @Answers(DayCloseRunDto, { summary: 'Close a business date: record the day close and wait for its work', description: 'the close finished within CLOSE_DAY_WAIT_MS (or the date was already closed)',
      problems: { 409: ['business-date-before-last-closed'], ...(notAfterToday ? { 422: ['business-date-in-future'] } : {}) } })
    @ApiAcceptedResponse({ type: DayCloseRunDto, description: 'recorded; the work is still running: follow `Location`' })
    @ApiHeader({ name: 'idempotency-key', required: false, description: 'A retry with the same key gets the first answer; another date under it is a 422' })
    async close(@Body() body: CloseDayDto, @Req() request: PlatformRequest, @Res({ passthrough: true }) response: any,
      @Headers('idempotency-key') idempotencyKey?: string) {
      const hash = requestHash(body);
      if (idempotencyKey) {
        const earlier = await this.store.findIdempotentResponse<{ status: number; body: unknown }>('CloseDay', idempotencyKey, hash);
        if (earlier) return this.answer(response, earlier.status, earlier.body, body.businessDate);
      }
      const answer = await this.closeDay(body.businessDate, eventMetadata(request, 'CloseDay'));
      // The date's own idempotency (a closed date records nothing) covers retries without a key.
      const kept = idempotencyKey ? await this.store.recordIdempotentResponse('CloseDay', idempotencyKey, hash, answer) : answer;
      return this.answer(response, kept.status, kept.body, body.businessDate);
    }

    async closeDay(businessDate: string, metadata: ReturnType<typeof eventMetadata>): Promise<{ status: number; body: unknown }> {
      const { now, today } = this.clock.now();
      const closedNow = await this.days.close(businessDate, metadata, now, notAfterToday ? today : undefined);
      const progress = progressLink(businessDate);
      if (!closedNow) {
        // Already closed: this request records nothing; the first one's run carries the work.
        const run = await this.runs.find(businessDate);
        return { status: 200, body: { businessDate, status: run?.status ?? 'pending', progress, alreadyClosed: true, ...summary(undefined) } };
      }
      const run = await this.waitForRun(businessDate, Date.now() + this.config.closeDayWaitMs);
      return { status: run?.status === 'completed' ? 200 : 202, body: { businessDate, status: run?.status ?? 'pending', progress, ...summary(run) } };
    }

    answer(response: any, status: number, body: unknown, businessDate: string): unknown {
      if (status === 202) response.status(202).setHeader('Location', progressLink(businessDate));
      return body;
    }

    @Get(':businessDate')
    @Roles(...new Set<Role>([...roles, 'auditor', 'admin']))
    @Answers(DayCloseRunDto, { summary: 'The close run of a business date and its figures', description: 'the run of that date', problems: { 404: ['not-found'] } })
    async progress(@Param() { businessDate }: CloseDayDto) {
      const run = await this.runs.find(businessDate);
      if (!run) throw new NotFoundException(`no close of ${businessDate} has started`);
      return { ...run, progress: progressLink(businessDate), ...summary(run) };
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
