import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CustomerAlreadyRegistered, customerDecider } from '@crm/customers-domain';
import { handleCommand, PersonalDataVault, PostgresEventStore } from '@crm/eventing';
import { DomainProblem, EVENT_STORE } from '@crm/platform';
import { sealEvents } from '../personal-data/customer-personal-data';
import { RegisterCustomerCommand } from './register-customer.command';

@CommandHandler(RegisterCustomerCommand)
export class RegisterCustomerHandler implements ICommandHandler<RegisterCustomerCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: PostgresEventStore, private readonly vault: PersonalDataVault) {}

  async execute(command: RegisterCustomerCommand): Promise<{ id: string; version: number }> {
    try {
      return await handleCommand({
        store: this.store,
        decider: customerDecider,
        streamId: `customer-${command.customerId}`,
        partitionKey: command.customerId,
        command: { type: 'RegisterCustomer', data: { customerId: command.customerId, ...command.body } },
        metadata: command.metadata,
        now: command.now,
        // The request body is the idempotent request; the generated id is not part of it.
        idempotency: command.idempotencyKey ? { scope: 'RegisterCustomer', key: command.idempotencyKey, request: command.body } : undefined,
        respond: (_events, version) => ({ id: command.customerId, version }),
        beforeAppend: (events) => sealEvents(this.vault, command.customerId, events),
      }) as { id: string; version: number };
    } catch (error) {
      if (error instanceof CustomerAlreadyRegistered) throw new DomainProblem(error.code, 409, error.message);
      throw error;
    }
  }
}
