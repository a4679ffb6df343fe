import { Controller, Get, Headers, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { BusinessClock, eventMetadata, Roles, UuidParam } from '@crm/platform';
import { CustomerEngagements } from './customer-engagements';
import { FollowUpsQueryDto } from './follow-ups.dto';
import { FollowUpQueries } from './follow-ups.queries';
import { ENGAGEMENT_READERS } from '../engagement-roles';

/** Follow-ups (from interactions, the contact plan and churn flags): done, or missed on day close. */
@ApiTags('follow-ups')
@ApiBearerAuth()
@Controller('v1/follow-ups')
export class FollowUpsController {
  constructor(private readonly engagements: CustomerEngagements, private readonly queries: FollowUpQueries, private readonly clock: BusinessClock) {}

  @Get()
  @Roles(...ENGAGEMENT_READERS)
  list(@Query() q: FollowUpsQueryDto) {
    return this.queries.followUps({ accountManager: q.accountManager, status: q.status, dueBefore: q.dueBefore, cursor: q.cursor, limit: q.limit ?? 50 });
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Roles('sales', 'account_manager')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async complete(@UuidParam('id') id: string, @Req() request: any, @Headers('idempotency-key') key?: string) {
    const customerId = await this.engagements.customerOfFollowUp(id);
    const { now } = this.clock.now();
    return this.engagements.execute(customerId, { type: 'CompleteFollowUp', data: { followUpId: id, completedAt: now, completedBy: request.actor.id } }, {
      metadata: eventMetadata(request, 'CompleteFollowUp'), now, idempotencyKey: key, request: { id },
      respond: () => ({ id, status: 'done', completedAt: now }),
    });
  }
}
