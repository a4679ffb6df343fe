import { Controller, Get, Headers, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { BusinessClock, eventMetadata, Roles, UuidParam, Answers, PlatformRequest } from '@crm/platform';
import { CustomerEngagements } from './customer-engagements';
import { FollowUpsQueryDto } from './follow-ups.dto';
import { FollowUpQueries } from './follow-ups.queries';
import { ENGAGEMENT_READERS } from '../engagement-roles';
import { FOLLOW_UP_DONE, FOLLOW_UPS } from '../answers/engagement-answers';

/** Follow-ups (from interactions, the contact plan and churn flags): done, or missed on day close. */
@ApiTags('follow-ups')
@ApiBearerAuth()
@Controller('v1/follow-ups')
export class FollowUpsController {
  constructor(private readonly engagements: CustomerEngagements, private readonly queries: FollowUpQueries, private readonly clock: BusinessClock) {}

  @Answers(FOLLOW_UPS, { summary: 'Follow-ups by account manager, status and due date, in keyset pages' })
  @Get()
  @Roles(...ENGAGEMENT_READERS)
  list(@Query() q: FollowUpsQueryDto) {
    return this.queries.followUps({ accountManager: q.accountManager, status: q.status, dueBefore: q.dueBefore, cursor: q.cursor, limit: q.limit ?? 50 });
  }

  @Answers(FOLLOW_UP_DONE, { summary: 'Complete a follow-up', problems: { 404: ['follow-up-not-found'], 409: ['follow-up-already-done'] } })
  @Post(':id/complete')
  @HttpCode(200)
  @Roles('sales', 'account_manager')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async complete(@UuidParam('id') id: string, @Req() request: PlatformRequest, @Headers('idempotency-key') key?: string) {
    const customerId = await this.engagements.customerOfFollowUp(id);
    const { now } = this.clock.now();
    return this.engagements.execute(customerId, { type: 'CompleteFollowUp', data: { followUpId: id, completedAt: now, completedBy: request.actor.id } }, {
      metadata: eventMetadata(request, 'CompleteFollowUp'), now, idempotencyKey: key, request: { id },
      respond: () => ({ id, status: 'done', completedAt: now }),
    });
  }
}
