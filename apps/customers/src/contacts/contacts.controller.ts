import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Headers, HttpCode, Patch, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { BusinessClock, eventMetadata, parseIfMatch, Roles, UuidParam, Answers, PlatformRequest } from '@crm/platform';
import { CustomerCommands } from '../customer/customer-commands';
import { CustomerVersionDto } from '../update-customer/update-customer.dto';
import { AddContactDto, ContactCreatedDto, UpdateContactDto } from './contact.dto';

/** A customer's contact persons: every personal field sealed with the customer's key. */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers/:id/contacts')
export class ContactsController {
  constructor(private readonly customers: CustomerCommands, private readonly clock: BusinessClock) {}

  @Post()
  @Roles('sales', 'account_manager')
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'A retried POST with the same key returns the first response' })
  @Answers(ContactCreatedDto, { status: 201, summary: 'Add a contact person to a customer (sealed personal data)', problems: { 412: ['precondition-failed'], 404: ['customer-not-found'], 409: ['customer-archived', 'personal-data-erased'] } })
  add(@UuidParam('id') id: string, @Body() body: AddContactDto, @Req() request: PlatformRequest, @Headers('idempotency-key') idempotencyKey?: string) {
    const contactId = randomUUID();
    return this.customers.execute(id, { type: 'AddContact', data: { ...body, customerId: id, contactId } }, {
      metadata: eventMetadata(request, 'AddContact'),
      now: this.clock.now().now,
      expectedVersion: parseIfMatch(request.headers['if-match']),
      // Scoped by customer: the same key for another customer is another request.
      idempotency: idempotencyKey ? { key: `${id}:${idempotencyKey}`, request: body } : undefined,
      respond: (_events, version) => ({ contactId, version }),
    });
  }

  @Patch(':contactId')
  @Roles('sales', 'account_manager')
  @Answers(CustomerVersionDto, { summary: 'Change a contact person of a customer', problems: { 412: ['precondition-failed'], 404: ['customer-not-found', 'contact-not-found'], 409: ['customer-archived', 'personal-data-erased'] } })
  update(
    @UuidParam('id') id: string, @UuidParam('contactId') contactId: string,
    @Body() body: UpdateContactDto, @Req() request: PlatformRequest,
  ) {
    return this.customers.execute(id, { type: 'UpdateContact', data: { ...body, customerId: id, contactId } }, {
      metadata: eventMetadata(request, 'UpdateContact'), now: this.clock.now().now,
      expectedVersion: parseIfMatch(request.headers['if-match']),
      respond: (_events, version) => ({ id, version }),
    });
  }

  @Delete(':contactId')
  @HttpCode(200)
  @Roles('sales', 'account_manager')
  @Answers(CustomerVersionDto, { summary: 'Remove a contact person from a customer', problems: { 412: ['precondition-failed'], 404: ['customer-not-found', 'contact-not-found'], 409: ['customer-archived'] } })
  remove(@UuidParam('id') id: string, @UuidParam('contactId') contactId: string, @Req() request: PlatformRequest) {
    return this.customers.execute(id, { type: 'RemoveContact', data: { customerId: id, contactId } }, {
      metadata: eventMetadata(request, 'RemoveContact'), now: this.clock.now().now,
      expectedVersion: parseIfMatch(request.headers['if-match']),
      respond: (_events, version) => ({ id, version }),
    });
  }
}
