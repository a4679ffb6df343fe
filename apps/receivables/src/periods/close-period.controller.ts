import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { BusinessClock, eventMetadata, Roles, Answers, PlatformRequest } from '@crm/platform';
import { AccountingPeriods } from './accounting-periods';

const PERIOD = /^(19\d{2}|2\d{3})-(0[1-9]|1[0-2])$/;

export class ClosePeriodDto {
  @ApiProperty({ example: '2026-01', description: 'The month to close, YYYY-MM' })
  @Matches(PERIOD, { message: 'period must be a month written YYYY-MM between 1900-01 and 2999-12' }) period: string;
}

export class PeriodStatusDto {
  @ApiProperty({ example: '2026-01' }) period: string;
  @ApiProperty() closed: boolean;
  @ApiProperty({ nullable: true, type: String }) closedBy: string | null;
  @ApiProperty({ nullable: true, type: String, example: '2026-02-03', description: 'business date of the close' }) closedOn: string | null;
  @ApiPropertyOptional({ description: 'on a close: the period was closed already, nothing was recorded' }) alreadyClosed?: boolean;
}

/**
 * Closes an accounting period: from then on invoices, payments, credit notes and reversals
 * dated in it are refused (422 `…/period-closed` naming the date field), unless an admin
 * enters them with `lateEntryReason`, which the event records.
 */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1/operations/close-period')
export class ClosePeriodController {
  constructor(private readonly periods: AccountingPeriods, private readonly clock: BusinessClock) {}

  @Post()
  @HttpCode(200)
  @Roles('credit_manager')
  @Answers(PeriodStatusDto, { summary: 'Close an accounting period: later entries dated in it are refused (422 period-closed)', description: 'closed now, or already closed (`alreadyClosed: true`, nothing recorded); a month after the current one (BUSINESS_TIME_ZONE) is refused, earlier months may close in any order', problems: { 422: ['period-in-future'] } })
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'A retry with the same key gets the first answer' })
  close(@Body() body: ClosePeriodDto, @Req() request: PlatformRequest, @Headers('idempotency-key') idempotencyKey?: string) {
    const { now, today } = this.clock.now();
    return this.periods.close(body.period, { metadata: eventMetadata(request, 'ClosePeriod'), now, today, idempotencyKey });
  }

  @Get(':period')
  @Roles('credit_manager', 'collector', 'sales', 'auditor')
  @Answers(PeriodStatusDto, { summary: 'Whether an accounting period is closed, by whom and when' })
  status(@Param() { period }: ClosePeriodDto) {
    return this.periods.status(period);
  }
}
