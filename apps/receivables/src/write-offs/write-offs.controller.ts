import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { BusinessClock, eventMetadata, Roles, UuidParam, Answers, PlatformRequest } from '@crm/platform';
import { AccountCommands } from '../account/account-commands';
import { RejectWriteOffDto } from '../invoices/invoice-actions.dto';
import { WriteOffDecidedDto } from '../answers/receivables-answers.dto';

@ApiTags('write-offs')
@ApiBearerAuth()
@Controller('v1/write-off-requests/:id')
export class WriteOffsController {
  constructor(private readonly accounts: AccountCommands, private readonly clock: BusinessClock) {}

  private async decide(id: string, type: 'ApproveWriteOff' | 'RejectWriteOff', request: PlatformRequest, reason?: string) {
    const customerId = await this.accounts.ownerOf('write-off-request', id);
    const { now, today } = this.clock.now();
    return this.accounts.execute(customerId, { type, data: { requestId: id, decidedBy: request.actor.id, decidedOn: today, reason } }, {
      metadata: eventMetadata(request, type), now,
      respond: ([e]) => ({ id, status: type === 'ApproveWriteOff' ? 'approved' : 'rejected', ...(e.data as any) }),
    });
  }

  @Answers(WriteOffDecidedDto, { summary: 'Approve a write-off request (not by its requester)', problems: { 403: ['write-off-self-approval'], 404: ['not-found'], 409: ['write-off-not-pending'] } })
  @Post('approve')
  @HttpCode(200)
  @Roles('credit_manager')
  approve(@UuidParam('id') id: string, @Req() request: PlatformRequest) {
    return this.decide(id, 'ApproveWriteOff', request);
  }

  @Answers(WriteOffDecidedDto, { summary: 'Reject a write-off request with a reason', problems: { 404: ['not-found'], 409: ['write-off-not-pending'] } })
  @Post('reject')
  @HttpCode(200)
  @Roles('credit_manager')
  reject(@UuidParam('id') id: string, @Body() body: RejectWriteOffDto, @Req() request: PlatformRequest) {
    return this.decide(id, 'RejectWriteOff', request, body.reason);
  }
}
