import { Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { customerDecider, CustomerDomainEvent } from '@crm/customers-domain';
import { PostgresEventStore, verifyStream } from '@crm/eventing';
import { EVENT_STORE, PG_POOL, Roles } from '@crm/platform';
import { Pool } from 'pg';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class GetCustomerController {
  constructor(@Inject(EVENT_STORE) private readonly store: PostgresEventStore, @Inject(PG_POOL) private readonly pool: Pool) {}

  @Get(':id')
  @Roles('sales', 'account_manager', 'credit_manager', 'collector', 'auditor')
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const events = await this.store.readStream(`customer-${id}`);
    if (events.length === 0) throw new NotFoundException(`customer ${id} not found`);
    const state = events.reduce((s, e) => customerDecider.evolve(s, e as unknown as CustomerDomainEvent), customerDecider.initialState());
    const registered = events.find((e) => e.type === 'CustomerRegistered');
    return { ...registered?.data, ...state, version: events[events.length - 1].streamVersion };
  }

  /** Auditors: the customer's full history in order, and whether its hash chain is intact. */
  @Get(':id/history')
  @Roles('auditor')
  async history(@Param('id', new ParseUUIDPipe()) id: string) {
    const events = await this.store.readStream(`customer-${id}`);
    if (events.length === 0) throw new NotFoundException(`customer ${id} not found`);
    return { events, integrity: await verifyStream(this.pool, `customer-${id}`) };
  }
}
