import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { BusinessClock, eventMetadata, Roles } from '@crm/platform';
import { AccountCommandsService } from '../account/account-commands.service';
import { IsBusinessDate } from '../dto-validators';

export class CloseDayDto {
  @ApiProperty({ example: '2026-02-01' }) @IsBusinessDate() businessDate: string;
}

/**
 * Day close: records the business date, then lets every account decide what the date means
 * (overdue, dunning, promise outcomes). Re-running a date finishes an interrupted close and
 * adds nothing else; a date before the last closed one is refused.
 */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1/operations/close-day')
export class CloseDayController {
  constructor(private readonly accounts: AccountCommandsService, private readonly clock: BusinessClock) {}

  @Post()
  @HttpCode(200)
  @Roles('credit_manager')
  async close(@Body() body: CloseDayDto, @Req() request: any) {
    const { now } = this.clock.now();
    const metadata = eventMetadata(request, 'CloseDay');
    await this.accounts.closeBusinessDay(body.businessDate, metadata, now);
    const recorded: Record<string, number> = {};
    const customers = await this.accounts.accountsWithInvoices();
    for (const customerId of customers) {
      const types: string[] = await this.accounts.execute(customerId, { type: 'CloseDay', data: { businessDate: body.businessDate } },
        { metadata, now, respond: (events) => events.map((e) => e.type) });
      types.forEach((t) => (recorded[t] = (recorded[t] ?? 0) + 1));
    }
    return { businessDate: body.businessDate, accounts: customers.length, recorded };
  }
}
