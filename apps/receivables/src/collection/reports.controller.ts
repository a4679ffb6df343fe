import { BadRequestException, Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { PostgresEventStore } from '@crm/eventing';
import { EVENT_STORE, Roles } from '@crm/platform';
import { AccountEvent, customerStatement, isIsoDate, receivablesMetrics } from '@crm/receivables-domain';
import { accountStream } from '../account/account-commands.service';
import { CollectionQueriesService } from './collection-queries.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1')
export class ReportsController {
  constructor(
    private readonly queries: CollectionQueriesService,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
  ) {}

  /** Customer statement (对账) from the customer's own stream: always up to date. */
  @Get('customers/:customerId/statement')
  @Roles('collector', 'credit_manager', 'account_manager', 'auditor', 'sales')
  @ApiQuery({ name: 'from', required: true }) @ApiQuery({ name: 'to', required: true })
  async statement(@Param('customerId', new ParseUUIDPipe()) customerId: string, @Query('from') from: string, @Query('to') to: string) {
    if (!isIsoDate(from ?? '') || !isIsoDate(to ?? '')) throw new BadRequestException('from and to must be dates written YYYY-MM-DD');
    if (from > to) throw new BadRequestException('from must not be after to');
    const events = await this.store.readStream(accountStream(customerId));
    return { customerId, from, to, currencies: customerStatement(events as unknown as AccountEvent[], from, to) };
  }

  @Get('metrics')
  @Roles('credit_manager', 'auditor')
  @ApiQuery({ name: 'period', required: true, example: '2026-01' })
  async metrics(@Query('period') period: string) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period ?? '')) throw new BadRequestException('period must be written YYYY-MM');
    const docs = await this.queries.docsIssuedBetween('0000-01-01', `${period}-31`);
    return { period, currencies: receivablesMetrics(docs, period) };
  }
}

