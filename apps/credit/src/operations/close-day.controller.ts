import { Body, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { BusinessClock, eventMetadata, Roles, SERVICE_CONFIG, ServiceConfig } from '@crm/platform';
import { IsBusinessDate } from '../dto-validators';
import { CreditBusinessDays } from './credit-business-days';
import { CreditDayCloseRuns, DayCloseRun } from './credit-day-close-runs';

export class CloseDayDto {
  @ApiProperty({ example: '2027-03-02' }) @IsBusinessDate() businessDate: string;
}

export class DayCloseRunDto {
  @ApiProperty({ example: '2027-03-02' }) businessDate: string;
  @ApiProperty({ enum: ['pending', 'running', 'completed', 'superseded'] }) status: string;
  @ApiProperty({ example: '/v1/operations/close-day/2027-03-02', description: 'where to follow the run' }) progress: string;
  @ApiProperty({ description: 'customers with a review due or an invoice past the overdue rule by the date' }) accounts: number;
  @ApiProperty() accountsDone: number;
  @ApiProperty({ example: { CreditReviewBecameDue: 3, CreditHoldPlaced: 1 }, description: 'events recorded, by type' }) recorded: Record<string, number>;
  @ApiProperty({ required: false, description: 'true when the date was already closed: this request recorded nothing' }) alreadyClosed?: boolean;
}

const POLL_MS = 100;

/**
 * Credit's day close: records `CreditBusinessDayClosed`; the day-close policy then records
 * `CreditReviewBecameDue` for limits whose review date has come (and counts days overdue to
 * the date). 200 with the outcome when it finished within CLOSE_DAY_WAIT_MS, else 202 with
 * the run to follow. Re-posting a closed date records nothing; an earlier date is a 409.
 */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1/operations/close-day')
export class CloseDayController {
  constructor(
    private readonly days: CreditBusinessDays,
    private readonly runs: CreditDayCloseRuns,
    private readonly clock: BusinessClock,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles('credit_manager')
  @ApiOkResponse({ type: DayCloseRunDto, description: 'the close finished within CLOSE_DAY_WAIT_MS (or the date was already closed)' })
  @ApiAcceptedResponse({ type: DayCloseRunDto, description: 'recorded; the customers are still being closed: follow `Location`' })
  async close(@Body() body: CloseDayDto, @Req() request: any, @Res({ passthrough: true }) response: any) {
    const closedNow = await this.days.close(body.businessDate, eventMetadata(request, 'CloseDay'), this.clock.now().now);
    const link = `/v1/operations/close-day/${body.businessDate}`;
    if (!closedNow) {
      const run = await this.runs.find(body.businessDate);
      return { businessDate: body.businessDate, status: run?.status ?? 'pending', progress: link, alreadyClosed: true, accounts: 0, accountsDone: 0, recorded: {} };
    }
    const run = await this.waitForRun(body.businessDate, Date.now() + this.config.closeDayWaitMs);
    if (run?.status !== 'completed') {
      response.status(202).setHeader('Location', link);
      return { businessDate: body.businessDate, status: run?.status ?? 'pending', progress: link, ...(run && summary(run)) };
    }
    return { businessDate: body.businessDate, status: run.status, progress: link, ...summary(run) };
  }

  @Get(':businessDate')
  @Roles('credit_manager', 'auditor', 'admin')
  @ApiOkResponse({ type: DayCloseRunDto, description: 'the run of that date: 404 when none has started' })
  async progress(@Param() { businessDate }: CloseDayDto) {
    const run = await this.runs.find(businessDate);
    if (!run) throw new NotFoundException(`no credit close of ${businessDate} has started`);
    return { ...run, ...summary(run) };
  }

  private async waitForRun(businessDate: string, deadline: number): Promise<DayCloseRun | undefined> {
    for (;;) {
      const run = await this.runs.find(businessDate);
      if ((run && run.status !== 'running') || Date.now() >= deadline) return run;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}

function summary(run: DayCloseRun) {
  return { accounts: run.accountsDue, accountsDone: run.accountsDone, recorded: run.recorded };
}
