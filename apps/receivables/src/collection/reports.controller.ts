import { Controller, Get, Inject, NotFoundException, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PostgresEventStore } from '@crm/eventing';
import { EVENT_STORE, Roles, UuidParam, ValidationProblem, Answers } from '@crm/platform';
import { AccountEvent, customerStatement, receivablesMetrics } from '@crm/receivables-domain';
import { accountStream } from '../account/account-commands';
import { CollectionQueriesService } from './collection-queries.service';
import { MetricsQueryDto, StatementQueryDto } from './collection-queries.dto';
import { MetricsDto, StatementDto } from '../answers/receivables-answers.dto';
import { CustomerFacts } from '../read-models/customer-facts';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1')
export class ReportsController {
  constructor(
    private readonly queries: CollectionQueriesService,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    private readonly facts: CustomerFacts,
  ) {}

  /** Customer statement (对账) from the customer's own stream: always up to date, or `asOf` an instant. */
  @Answers(StatementDto, { summary: 'A customer\'s statement (对账) for a date range, per currency (or as recorded at `asOf`)', problems: { 404: ['not-found'] } })
  @Get('customers/:customerId/statement')
  @Roles('collector', 'credit_manager', 'account_manager', 'auditor', 'sales')
  async statement(@UuidParam('customerId') customerId: string, @Query() { from, to, asOf }: StatementQueryDto) {
    if (from > to) throw new ValidationProblem([{ field: 'from', messages: [`from (${from}) must not be after to (${to})`] }]);
    const all = await this.store.readStream<AccountEvent>(accountStream(customerId));
    // A customer receivables has never heard of has no statement: 404, as its credit balance.
    if (all.length === 0 && !(await this.facts.isKnown(customerId))) throw new NotFoundException(`customer ${customerId} not found`);
    // As recorded then: the events the store had recorded by the instant (the published recordedAt's millisecond).
    const recordedBy = asOf ? new Date(asOf).toISOString() : undefined;
    const events = recordedBy ? all.filter((e) => (e.recordedAt ?? e.occurredAt) <= recordedBy) : all;
    return { customerId, from, to, ...(asOf ? { asOf } : {}), currencies: customerStatement(events, from, to) };
  }

  @Answers(MetricsDto, { summary: 'Receivables metrics of a month per currency (DSO, collection rate)' })
  @Get('metrics')
  @Roles('credit_manager', 'auditor')
  async metrics(@Query() { period }: MetricsQueryDto) {
    const docs = await this.queries.docsIssuedBetween('0000-01-01', `${period}-31`);
    return { period, currencies: receivablesMetrics(docs, period) };
  }
}

