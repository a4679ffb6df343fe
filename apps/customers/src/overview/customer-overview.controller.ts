import { BadRequestException, Controller, Get, Inject, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { customerLifetimeValue, CustomerRevenue, overviewParts, toReporting, trailing12Months } from '@crm/customers-domain';
import { BusinessClock, PG_POOL, Roles } from '@crm/platform';
import { Pool } from 'pg';
import { ClassificationPolicies } from '../classification/classification-policies';
import { CustomerCommands } from '../customer/customer-commands';

/**
 * Customer 360: the profile and classification (customers' own), credit and receivables from
 * their published events, each part with the time of the last event applied from that
 * service; `asOf` answers from the events recorded up to that instant.
 */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class CustomerOverviewController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool, private readonly customers: CustomerCommands,
    private readonly policies: ClassificationPolicies, private readonly clock: BusinessClock,
  ) {}

  @Get(':id/overview')
  @Roles('sales', 'account_manager', 'credit_manager', 'collector', 'auditor')
  @ApiQuery({ name: 'asOf', required: false, description: 'An instant (ISO 8601): the overview as recorded then' })
  async overview(@Param('id', new ParseUUIDPipe()) id: string, @Query('asOf') asOf?: string) {
    if (asOf !== undefined && Number.isNaN(Date.parse(asOf))) throw new BadRequestException('asOf must be an instant such as 2026-11-30T12:00:00Z');
    const at = asOf === undefined ? undefined : new Date(asOf).toISOString();
    const { state, version } = await this.customers.load(id);
    if (state.status !== 'registered') throw new NotFoundException(`customer ${id} not found`);
    const profile = { customerId: id, kind: state.kind, archived: state.archived, accountManager: state.accountManager ?? null, abcClass: state.abcClass, stage: state.stage, version };
    const { rows } = await this.pool.query('SELECT doc FROM customer_overview WHERE id = $1', [id]);
    const parts = overviewParts(rows[0]?.doc, at);
    // CLV from the payments receivables published, in the policy's reporting currency (null: none seen yet).
    const policy = await this.policies.current();
    const { rows: [revenueRow] } = await this.pool.query('SELECT doc FROM customer_revenue WHERE id = $1', [id]);
    const revenue: CustomerRevenue | undefined = revenueRow?.doc;
    const today = (at ?? this.clock.now().now).slice(0, 10);
    const payments = (revenue?.payments ?? []).filter((p) => p.on <= today && (p.currency === policy.reportingCurrency || policy.rates[p.currency] !== undefined))
      .map((p) => ({ on: p.on, amount: toReporting(p.amount, p.currency, policy) }));
    const clv = revenue ? { amount: customerLifetimeValue(payments.reduce((s, p) => s + p.amount, 0), trailing12Months(payments, today), state.stage === 'at_risk', policy),
      currency: policy.reportingCurrency, policyVersion: policy.version, lastEventAt: revenue.lastEventAt } : null;
    return { asOf: at ?? null, profile, classification: { abcClass: state.abcClass, stage: state.stage, clv }, ...parts, engagement: { status: 'no-events', lastEventAt: null, note: 'engagement publishes no events yet' } };
  }
}
