import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { BusinessClock, eventMetadata, Roles, Answers, PlatformRequest } from '@crm/platform';
import { CustomerCommands } from '../customer/customer-commands';
import { CustomerCreatedDto, RegisterCustomerDto } from './register-customer.dto';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class RegisterCustomerController {
  constructor(private readonly customers: CustomerCommands, private readonly clock: BusinessClock) {}

  @Post()
  @Roles('sales', 'account_manager')
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'A retried POST with the same key returns the first response' })
  @Answers(CustomerCreatedDto, { status: 201, summary: 'Register a customer (a company or a person) with its profile, tags and contacts', problems: { 409: ['duplicate-tax-id'] } })
  register(@Body() body: RegisterCustomerDto, @Req() request: PlatformRequest, @Headers('idempotency-key') idempotencyKey?: string) {
    const customerId = randomUUID();
    // The server clock is read here, at the edge, and enters the domain as command metadata.
    return this.customers.execute(customerId, { type: 'RegisterCustomer', data: { customerId, ...body } }, {
      metadata: eventMetadata(request, 'RegisterCustomer'),
      now: this.clock.now().now,
      // The request body is the idempotent request; the generated id is not part of it.
      idempotency: idempotencyKey ? { key: idempotencyKey, request: body } : undefined,
      respond: (_events, version) => ({ id: customerId, version }),
    });
  }
}
