import { Command } from '@nestjs/cqrs';
import { EventMetadata } from '@crm/contracts';
import { RegisterCustomerDto } from './register-customer.dto';

export class RegisterCustomerCommand extends Command<{ id: string; version: number }> {
  constructor(
    readonly customerId: string,
    readonly body: RegisterCustomerDto,
    readonly metadata: EventMetadata,
    readonly now: string,
    readonly idempotencyKey?: string,
  ) {
    super();
  }
}
