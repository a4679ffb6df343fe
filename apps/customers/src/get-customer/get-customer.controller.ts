import { Controller, Get, Inject, NotFoundException, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { customerDecider, CustomerDomainEvent } from '@crm/customers-domain';
import { PersonalDataVault, PostgresEventStore } from '@crm/eventing';
import { AsOfQueryDto, etag, EVENT_STORE, Roles, UuidParam, Answers } from '@crm/platform';
import { openEvents } from '../personal-data/customer-personal-data';
import { CustomerDto } from '../answers/customer-answers.dto';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class GetCustomerController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    private readonly vault: PersonalDataVault,
  ) {}

  /** The customer as its events tell, personal fields opened; `ETag` is the stream version (send it back as If-Match); `?asOf=` as recorded then. */
  @Answers(CustomerDto, { summary: 'A customer as its events tell (or as recorded at `asOf`), personal fields opened; ETag is its version', problems: { 404: ['not-found'] } })
  @Get(':id')
  @Roles('sales', 'account_manager', 'credit_manager', 'collector', 'auditor')
  async get(@UuidParam('id') id: string, @Query() { asOf }: AsOfQueryDto, @Res({ passthrough: true }) response: any) {
    const all = await this.store.readStream<CustomerDomainEvent>(`customer-${id}`);
    // `asOf`: the customer as the events recorded by then tell (personal values erased since read [erased]: erasure is for good).
    const recordedBy = asOf ? new Date(asOf).toISOString() : undefined;
    const stored = recordedBy ? all.filter((e) => (e.recordedAt ?? e.occurredAt) <= recordedBy) : all;
    if (stored.length === 0) throw new NotFoundException(`customer ${id} not found${asOf ? ` as of ${asOf}` : ''}`);
    const events = await openEvents(this.vault, id, stored);
    const state = events.reduce((s, e) => customerDecider.evolve(s, e), customerDecider.initialState());
    const version = events[events.length - 1].streamVersion;
    if (asOf) return { ...state, version, asOf };
    response.setHeader('ETag', etag(version));
    return { ...state, version };
  }
}
