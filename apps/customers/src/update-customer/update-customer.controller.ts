import { Body, Controller, HttpCode, Patch, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { BusinessClock, etag, eventMetadata, parseIfMatch, Roles, UuidParam, Answers, PlatformRequest } from '@crm/platform';
import { CustomerCommand } from '@crm/customers-domain';
import { CustomerCommands } from '../customer/customer-commands';
import { AccountManagerDto, ArchiveCustomerDto, ConsentDto, CustomerVersionDto, UpdateCustomerDto } from './update-customer.dto';

const IF_MATCH = { name: 'if-match', required: false, description: 'The ETag of the customer as read: another version is refused with 412' };
const IDEMPOTENCY_KEY = { name: 'idempotency-key', required: false, description: 'A retry with the same key gets the first answer; another request under it is a 422' };

/** Changes of a registered customer: each one event, answered with the new version (and ETag). */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class UpdateCustomerController {
  constructor(private readonly customers: CustomerCommands, private readonly clock: BusinessClock) {}

  /** `body` is what a retry under the same Idempotency-Key must repeat (the command adds the clock). */
  private run(id: string, command: CustomerCommand, request: PlatformRequest, body: object = {}) {
    const key = request.headers['idempotency-key'];
    return this.customers.execute(id, command, {
      metadata: eventMetadata(request, command.type),
      now: this.clock.now().now,
      expectedVersion: parseIfMatch(request.headers['if-match']),
      idempotency: key ? { key, request: { customerId: id, ...body } } : undefined,
      respond: (_events, version) => ({ id, version }),
    }).then((answer) => {
      request.res?.setHeader('ETag', etag(answer.version));
      return answer;
    });
  }

  @Patch(':id')
  @Roles('sales', 'account_manager')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY_KEY)
  @Answers(CustomerVersionDto, { summary: 'Change a customer\'s profile with a JSON merge patch', description: 'JSON merge patch (application/merge-patch+json or application/json)', problems: { 412: ['precondition-failed'], 404: ['customer-not-found'], 409: ['customer-archived', 'duplicate-tax-id', 'personal-data-erased'] } })
  update(@UuidParam('id') id: string, @Body() body: UpdateCustomerDto, @Req() request: PlatformRequest) {
    return this.run(id, { type: 'UpdateCustomerProfile', data: { ...body, customerId: id } }, request, body);
  }

  @Put(':id/consent')
  @Roles('sales', 'account_manager')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY_KEY)
  @Answers(CustomerVersionDto, { summary: 'Set a customer\'s marketing consent per channel, with its source', problems: { 412: ['precondition-failed'], 404: ['customer-not-found'], 409: ['customer-archived'] } })
  consent(@UuidParam('id') id: string, @Body() body: ConsentDto, @Req() request: PlatformRequest) {
    const { source, ...consent } = body;
    return this.run(id, {
      type: 'SetConsent',
      data: { customerId: id, consent, source: source.trim(), changedBy: request.actor.id, changedAt: this.clock.now().now },
    }, request, body);
  }

  @Put(':id/account-manager')
  @Roles('sales', 'account_manager')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY_KEY)
  @Answers(CustomerVersionDto, { summary: 'Assign a customer\'s account manager', problems: { 412: ['precondition-failed'], 404: ['customer-not-found'], 409: ['customer-archived'] } })
  accountManager(@UuidParam('id') id: string, @Body() body: AccountManagerDto, @Req() request: PlatformRequest) {
    return this.run(id, { type: 'AssignAccountManager', data: { customerId: id, accountManager: body.accountManager.trim() } }, request, body);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @Roles('sales', 'account_manager')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY_KEY)
  @Answers(CustomerVersionDto, { summary: 'Archive a customer (no further changes until reactivated)', problems: { 412: ['precondition-failed'], 404: ['customer-not-found'], 409: ['customer-archived'] } })
  archive(@UuidParam('id') id: string, @Body() body: ArchiveCustomerDto, @Req() request: PlatformRequest) {
    return this.run(id, { type: 'ArchiveCustomer', data: { customerId: id, reason: body.reason.trim() } }, request, body);
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @Roles('sales', 'account_manager')
  @ApiHeader(IF_MATCH)
  @ApiHeader(IDEMPOTENCY_KEY)
  @Answers(CustomerVersionDto, { summary: 'Reactivate an archived customer', problems: { 412: ['precondition-failed'], 404: ['customer-not-found'] } })
  reactivate(@UuidParam('id') id: string, @Req() request: PlatformRequest) {
    return this.run(id, { type: 'ReactivateCustomer', data: { customerId: id } }, request);
  }
}
