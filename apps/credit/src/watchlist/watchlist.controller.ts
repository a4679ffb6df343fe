import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { BusinessClock, Roles, Answers } from '@crm/platform';
import { PageQueryDto } from '../customers/customers.dto';
import { CreditQueries, WatchReason } from '../read-models/credit-queries';
import { WatchlistDto } from '../answers/credit-answers.dto';

const REASONS = ['on-hold', 'utilization', 'review-due'] as const;

export class WatchlistQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REASONS, description: 'on hold; utilization above 90 % of the limit; review due or overdue. Default: any of them' })
  @IsOptional() @IsIn(REASONS) reason?: WatchReason;
}

@ApiTags('credit watchlist')
@ApiBearerAuth()
@Controller('v1/credit/watchlist')
export class WatchlistController {
  constructor(private readonly queries: CreditQueries, private readonly clock: BusinessClock) {}

  @Answers(WatchlistDto, { summary: 'Customers on hold, above 90 % of their limit, or due for review, in keyset pages' })
  @Get()
  @Roles('credit_manager', 'sales', 'collector', 'account_manager', 'auditor')
  async watchlist(@Query() { reason, cursor, limit = 50 }: WatchlistQueryDto) {
    return { reason: reason ?? null, ...(await this.queries.watchlist(reason, this.clock.now().today, cursor, limit)) };
  }
}
