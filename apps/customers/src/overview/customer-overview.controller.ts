import { Controller, Get, Inject, NotFoundException, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { customerDecider, CustomerDomainEvent, CustomerState, overviewParts } from '@crm/customers-domain';
import { PostgresEventStore } from '@crm/eventing';
import { BusinessClock, EVENT_STORE, PG_POOL, Roles, UuidParam, Answers } from '@crm/platform';
import { Pool } from 'pg';
import { customerStream } from '../customer/customer-commands';
import { OverviewQueryDto } from './overview-query.dto';
import { OVERVIEW_STALE_AFTER } from './overview-staleness';
import { CustomerOverviewDto } from '../answers/customer-answers.dto';

/**
 * Customer 360: the profile and classification (customers' own stream), credit, receivables
 * and engagement from their published events, each part with the time of its last event and
 * whether that is older than the staleness threshold; `asOf` answers every part from the
 * events recorded up to that instant.
 */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class CustomerOverviewController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool, @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    private readonly clock: BusinessClock, @Inject(OVERVIEW_STALE_AFTER) private readonly staleAfterMs: number,
  ) {}

  @Answers(CustomerOverviewDto, { summary: 'Customer 360: profile, classification, credit, receivables and engagement, each with its freshness', problems: { 404: ['not-found'] } })
  @Get(':id/overview')
  @Roles('sales', 'account_manager', 'credit_manager', 'collector', 'auditor')
  async overview(@UuidParam('id') id: string, @Query() query: OverviewQueryDto) {
    const asOf = query.asOf === undefined ? undefined : new Date(query.asOf).toISOString();
    // As recorded then: the customer's own events stored by `asOf` (its profile and the day closes' classifications).
    const stored = (await this.store.readStream<CustomerDomainEvent>(customerStream(id)))
      .filter((e) => asOf === undefined || (e.recordedAt ?? e.occurredAt) <= asOf);
    const state: CustomerState = stored.reduce((s, e) => customerDecider.evolve(s, e), customerDecider.initialState());
    if (state.status !== 'registered') throw new NotFoundException(asOf ? `customer ${id} was not registered at ${asOf}` : `customer ${id} not found`);
    const last = stored[stored.length - 1];
    const profile = { customerId: id, kind: state.kind, archived: state.archived, accountManager: state.accountManager ?? null, version: last.streamVersion,
      lastEventAt: last.recordedAt ?? last.occurredAt };
    const classification = { abcClass: state.abcClass, stage: state.stage, rfm: state.rfm, clv: state.clv, classifiedOn: state.classifiedOn };
    const { rows } = await this.pool.query('SELECT doc FROM customer_overview WHERE id = $1', [id]);
    const parts = overviewParts(rows[0]?.doc, { asOf, at: asOf ?? this.clock.now().now, staleAfterMs: this.staleAfterMs });
    return { asOf: asOf ?? null, staleAfterHours: this.staleAfterMs / 3_600_000, profile, classification, ...parts };
  }
}
