import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, Inject, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { BusinessClock, eventMetadata, Roles, SERVICE_CONFIG, ServiceConfig, UuidParam, Answers, PlatformRequest } from '@crm/platform';
import { EngagementCustomers } from '../customer-directory/engagement-customers';
import { ContactPlanPolicies } from './contact-plan-policies';
import { CustomerEngagements } from './customer-engagements';
import { PageQueryDto, RecordInteractionDto } from './follow-ups.dto';
import { FollowUpQueries } from './follow-ups.queries';
import { ENGAGEMENT_READERS } from '../engagement-roles';
import { INTERACTION_RECORDED, INTERACTIONS } from '../answers/engagement-answers';

/** Interactions with customers; one with `nextFollowUpOn` schedules a follow-up in the same append. */
@ApiTags('interactions')
@ApiBearerAuth()
@Controller('v1')
export class InteractionsController {
  constructor(
    private readonly engagements: CustomerEngagements,
    private readonly customers: EngagementCustomers,
    private readonly queries: FollowUpQueries,
    private readonly policies: ContactPlanPolicies,
    private readonly clock: BusinessClock,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Answers(INTERACTION_RECORDED, { status: 201, summary: 'Record an interaction with a customer, optionally scheduling a follow-up', problems: { 422: ['unknown-customer'] } })
  @Post('interactions')
  @Roles('sales', 'account_manager')
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'A retried POST with the same key records one interaction' })
  async record(@Body() body: RecordInteractionDto, @Req() request: PlatformRequest, @Headers('idempotency-key') key?: string) {
    const customer = await this.customers.require(body.customerId);
    const { now } = this.clock.now();
    const interactionId = randomUUID();
    return this.engagements.execute(body.customerId, {
      type: 'RecordInteraction',
      data: { interactionId, customerId: body.customerId, channel: body.channel, direction: body.direction, subject: body.subject, outcome: body.outcome,
        occurredAt: new Date(body.occurredAt).toISOString(), recordedBy: request.actor.id, nextFollowUpOn: body.nextFollowUpOn ?? null, followUpId: randomUUID() },
      context: { abcClass: customer.abcClass, accountManager: customer.accountManager, archived: customer.archived, timeZone: this.config.businessTimeZone,
        plan: await this.policies.current() },
    }, {
      metadata: eventMetadata(request, 'RecordInteraction'), now, idempotencyKey: key, request: body,
      respond: (events) => {
        const followUp = events.find((e) => e.type === 'FollowUpScheduled');
        return { id: interactionId, followUpId: followUp?.type === 'FollowUpScheduled' ? followUp.data.followUpId : null };
      },
    });
  }

  @Answers(INTERACTIONS, { summary: 'A customer\'s interactions, in keyset pages' })
  @Get('customers/:customerId/interactions')
  @Roles(...ENGAGEMENT_READERS)
  list(@UuidParam('customerId') customerId: string, @Query() q: PageQueryDto) {
    return this.queries.interactions(customerId, q.cursor, q.limit ?? 50);
  }
}
