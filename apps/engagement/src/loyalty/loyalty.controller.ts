import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { domainError } from '@crm/contracts';
import { LoyaltyMemberDoc, loyaltyStateAsOf, loyaltyView } from '@crm/engagement-domain';
import { BusinessClock, eventMetadata, PG_POOL, Roles, Answers, PlatformRequest } from '@crm/platform';
import { Pool } from 'pg';
import { EngagementCustomers } from '../customer-directory/engagement-customers';
import { LoyaltyAccounts } from './loyalty-accounts';
import { decodeCustomerCursor, encodeCustomerCursor } from './loyalty-cursor';
import { LoyaltyPolicies } from './loyalty-policies';
import { LoyaltyAsOfQueryDto, LoyaltyCustomerParamDto, RedeemPointsDto, TierPageQueryDto, TierParamDto } from './loyalty.dto';
import { ENGAGEMENT_READERS } from '../engagement-roles';
import { LOYALTY_VIEW, REDEMPTION, TIER_MEMBERS } from '../answers/engagement-answers';

/** Folds every event given, whatever its business date (the live state does too). */
const LAST_DAY = '9999-12-31';


/** A customer's points and tier, redemptions, and the customers of a tier. */
@ApiTags('loyalty')
@ApiBearerAuth()
@Controller('v1/loyalty')
export class LoyaltyController {
  constructor(
    private readonly accounts: LoyaltyAccounts,
    private readonly policies: LoyaltyPolicies,
    private readonly customers: EngagementCustomers,
    private readonly clock: BusinessClock,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  /**
   * From the customer's stream (read-your-writes); `?asOf=` folds the stream over the events
   * whose business date is on or before it. Next tier and progress use the policy in force now.
   */
  @Answers(LOYALTY_VIEW, { summary: 'A customer\'s loyalty: tier, points, what expires next, the next tier (or as of a past business date)', problems: { 404: ['customer-not-found'] } })
  @Get('customers/:customerId')
  @Roles(...ENGAGEMENT_READERS)
  async customer(@Param() { customerId }: LoyaltyCustomerParamDto, @Query() { asOf }: LoyaltyAsOfQueryDto) {
    const [{ state, version }, policy] = await Promise.all([this.accounts.load(customerId), this.policies.current()]);
    if (version === 0 && !(await this.customers.find(customerId))) {
      throw domainError('customer-not-found', 'not-found', `loyalty knows no customer ${customerId}`);
    }
    if (!asOf) return loyaltyView(customerId, state, this.clock.now().today, policy, version);
    if (asOf.length > 10) {
      // An instant: the events recorded by then, viewed on that instant's business date (what the live view answered then).
      const recordedBy = new Date(asOf).toISOString();
      const recorded = (await this.accounts.history(customerId)).filter((e) => (e.recordedAt ?? e.occurredAt) <= recordedBy);
      const day = this.clock.dateOf(asOf);
      return { ...loyaltyView(customerId, loyaltyStateAsOf(recorded, LAST_DAY).state, day, policy, recorded.length), asOf };
    }
    const past = loyaltyStateAsOf(await this.accounts.history(customerId), asOf);
    return loyaltyView(customerId, past.state, asOf, policy, past.version);
  }

  /** Records `LoyaltyPointsRedeemed`; the balance never goes below zero (422 insufficient-points). */
  @Answers(REDEMPTION, { status: 201, summary: 'Redeem loyalty points of a customer', problems: { 422: ['insufficient-points', 'unknown-customer'] } })
  @Post('customers/:customerId/redemptions')
  @Roles('account_manager')
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'A retried POST with the same key redeems once' })
  async redeem(@Param() { customerId }: LoyaltyCustomerParamDto, @Body() body: RedeemPointsDto, @Req() request: PlatformRequest, @Headers('idempotency-key') key?: string) {
    await this.customers.require(customerId);
    const { now } = this.clock.now();
    return this.accounts.execute(customerId, {
      type: 'RedeemPoints',
      data: { customerId, redemptionId: randomUUID(), points: body.points, reason: body.reason, redeemedBy: request.actor.id, redeemedAt: now },
    }, {
      metadata: eventMetadata(request, 'RedeemPoints'), now, idempotencyKey: key, request: { customerId, body },
      respond: ([e], version) => {
        if (e.type !== 'LoyaltyPointsRedeemed') throw new Error(`RedeemPoints recorded ${e.type}`);
        return { id: e.data.redemptionId, ...e.data, version };
      },
    });
  }

  /** Customers of a tier by id (keyset pages from the loyalty-members read model). */
  @Answers(TIER_MEMBERS, { summary: 'The customers in a loyalty tier, in keyset pages' })
  @Get('tiers/:tier')
  @Roles(...ENGAGEMENT_READERS)
  async tier(@Param() { tier }: TierParamDto, @Query() { cursor, limit = 50 }: TierPageQueryDto) {
    const after = decodeCustomerCursor(cursor);
    const { rows } = await this.pool.query(
      'SELECT id, doc FROM loyalty_members WHERE tier = $1 AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3', [tier, after, limit + 1]);
    const items: LoyaltyMemberDoc[] = rows.slice(0, limit).map((r) => r.doc);
    return { tier, items, nextCursor: rows.length > limit ? encodeCustomerCursor(items[items.length - 1].customerId) : null };
  }
}
