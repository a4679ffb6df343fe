import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PersonalDataVault, PostgresEventStore, verifyStream } from '@crm/eventing';
import { EVENT_STORE, PG_POOL, Roles, UuidParam, ValidationProblem, Answers } from '@crm/platform';
import { Pool } from 'pg';
import { CustomerTimelineQueries, TimelineFilter } from './customer-timeline.queries';
import { HistoryQueryDto, TimelinePageDto } from './history-query.dto';
import { decodeTimelineCursor } from './timeline-cursor';
import { CorrelationHistoryDto, CustomerHistoryDto } from '../answers/customer-answers.dto';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const DEFAULT_LIMIT = 100;

/** Auditors' views of the event log across the four services (the timeline read model). */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1')
export class HistoryController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly vault: PersonalDataVault,
    private readonly timeline: CustomerTimelineQueries,
  ) {}

  /**
   * Every event about the customer from all four services, in recorded-time order (then service,
   * stream version, id), personal values opened (`[erased]` after erasure); `integrity` is the
   * hash chain of customers' own stream.
   */
  @Answers(CustomerHistoryDto, { summary: 'Every event about a customer from the four services, in recorded-time order, with the stream\'s integrity', problems: { 404: ['not-found'] } })
  @Get('customers/:id/history')
  @Roles('auditor')
  async history(@UuidParam('id') id: string, @Query() query: HistoryQueryDto) {
    const filter = filterOf(query);
    const after = decodeTimelineCursor(query.cursor);
    const streamId = `customer-${id}`;
    const own = await this.store.readStream(streamId);
    if (own.length === 0 && !(await this.timeline.hasAny(id))) throw new NotFoundException(`customer ${id} not found`);
    // An erasure recorded but whose key destruction did not happen (a crash between the two) is completed first.
    if (own.some((e) => e.type === 'CustomerPersonalDataErased') && !(await this.vault.isErased(id))) await this.vault.erase(id);
    const applied = await this.timeline.appliedVersion(id, streamId);
    const page = await this.timeline.ofCustomer(id, filter, after, query.limit ?? DEFAULT_LIMIT, own.filter((e) => e.streamVersion > applied));
    return { customerId: id, ...page, integrity: await verifyStream(this.pool, streamId) };
  }

  /** Every event one correlation id caused, across services and customers (a payment → points → tier → hold released). */
  @Answers(CorrelationHistoryDto, { summary: 'Every event one correlation id caused, across services and customers', problems: { 404: ['not-found'] } })
  @Get('audit/correlations/:correlationId')
  @Roles('auditor')
  async correlation(@Param('correlationId') correlationId: string, @Query() query: TimelinePageDto) {
    if (!CORRELATION_ID.test(correlationId)) {
      throw new ValidationProblem([{ field: 'correlationId', messages: ['correlationId must be 1–128 letters, digits or ._:-'] }]);
    }
    const page = await this.timeline.ofCorrelation(correlationId, decodeTimelineCursor(query.cursor), query.limit ?? DEFAULT_LIMIT);
    if (page.events.length === 0 && !query.cursor) throw new NotFoundException(`no event recorded under correlation id ${correlationId}`);
    return { correlationId, ...page };
  }
}

function filterOf(query: HistoryQueryDto): TimelineFilter {
  const from = query.from ? new Date(query.from).toISOString() : undefined;
  const to = query.to ? new Date(query.to).toISOString() : undefined;
  if (from && to && from > to) throw new ValidationProblem([{ field: 'to', messages: ['to must not be before from'] }]);
  return { service: query.service, type: query.type, from, to };
}
