import { Inject, Injectable } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import { CustomerCommand, customerDecider, CustomerDomainEvent, CustomerState } from '@crm/customers-domain';
import { CommandHandler, PersonalDataVault } from '@crm/eventing';
import { provideCommandHandler } from '@crm/platform';
import { sealEvents } from '../personal-data/customer-personal-data';

export const customerStream = (customerId: string) => `customer-${customerId}`;
const CUSTOMER_HANDLER = Symbol('CUSTOMER_HANDLER');

// No snapshots: a customer's stream is short, and its state holds sealed values only.
export const customerCommandHandler = provideCommandHandler(CUSTOMER_HANDLER, { name: 'customer', decider: customerDecider });

export interface CustomerCommandOptions<R> {
  metadata: EventMetadata;
  now: string;
  idempotency?: { key: string; request: unknown };
  respond: (events: CustomerDomainEvent[], version: number) => R;
}

/** One customer's stream: every command seals personal data before it is stored. */
@Injectable()
export class CustomerCommands {
  constructor(
    @Inject(CUSTOMER_HANDLER) private readonly handler: CommandHandler<CustomerState, CustomerCommand, CustomerDomainEvent>,
    private readonly vault: PersonalDataVault,
  ) {}

  execute<R>(customerId: string, command: CustomerCommand, options: CustomerCommandOptions<R>): Promise<R> {
    return this.handler.execute({
      streamId: customerStream(customerId),
      partitionKey: customerId,
      command,
      metadata: { ...options.metadata, command: command.type },
      now: options.now,
      idempotency: options.idempotency && { scope: command.type, ...options.idempotency },
      respond: options.respond,
      beforeAppend: (events) => sealEvents(this.vault, customerId, events),
    });
  }
}
