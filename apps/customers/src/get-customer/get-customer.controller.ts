import { Controller, Get, Inject, NotFoundException, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { customerDecider, CustomerDomainEvent } from '@crm/customers-domain';
import { PersonalDataVault, PostgresEventStore } from '@crm/eventing';
import { etag, EVENT_STORE, Roles, UuidParam } from '@crm/platform';
import { openEvents } from '../personal-data/customer-personal-data';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class GetCustomerController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    private readonly vault: PersonalDataVault,
  ) {}

  /** The customer as its events tell, personal fields opened; `ETag` is the stream version (send it back as If-Match). */
  @Get(':id')
  @Roles('sales', 'account_manager', 'credit_manager', 'collector', 'auditor')
  async get(@UuidParam('id') id: string, @Res({ passthrough: true }) response: any) {
    const stored = await this.store.readStream<CustomerDomainEvent>(`customer-${id}`);
    if (stored.length === 0) throw new NotFoundException(`customer ${id} not found`);
    const events = await openEvents(this.vault, id, stored);
    const state = events.reduce((s, e) => customerDecider.evolve(s, e), customerDecider.initialState());
    const version = events[events.length - 1].streamVersion;
    response.setHeader('ETag', etag(version));
    return { ...state, version };
  }
}
