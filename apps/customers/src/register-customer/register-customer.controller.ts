import { randomUUID } from 'node:crypto';
import { Body, Controller, Headers, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import { BusinessClock, eventMetadata, Roles } from '@crm/platform';
import { CustomerCreatedDto, RegisterCustomerDto } from './register-customer.dto';
import { RegisterCustomerCommand } from './register-customer.command';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class RegisterCustomerController {
  constructor(private readonly commands: CommandBus, private readonly clock: BusinessClock) {}

  @Post()
  @Roles('sales', 'account_manager')
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'A retried POST with the same key returns the first response' })
  @ApiCreatedResponse({ type: CustomerCreatedDto })
  register(@Body() body: RegisterCustomerDto, @Req() request: any, @Headers('idempotency-key') idempotencyKey?: string) {
    // The server clock is read here, at the edge, and enters the domain as command metadata.
    return this.commands.execute(new RegisterCustomerCommand(
      randomUUID(), body, eventMetadata(request, 'RegisterCustomer'), this.clock.now().now, idempotencyKey));
  }
}
