import { Inject, Injectable, PreconditionFailedException } from '@nestjs/common';
import { domainError, EventMetadata } from '@crm/contracts';
import { CustomerCommand, customerDecider, CustomerDomainEvent, customerNotFound, CustomerState, taxIdKey } from '@crm/customers-domain';
import { CommandHandler, PersonalDataVault, WrongExpectedVersionError } from '@crm/eventing';
import { provideCommandHandler } from '@crm/platform';
import { sealEvents } from '../personal-data/customer-personal-data';
import { EmailBlindIndex } from '../personal-data/email-blind-index';

export const customerStream = (customerId: string) => `customer-${customerId}`;
const CUSTOMER_HANDLER = Symbol('CUSTOMER_HANDLER');
const TAX_ID = 'customer-tax-id';

/**
 * The tax ids the events claim (registration, a changed tax id) and give up (the old one),
 * claimed in the append's transaction: of two concurrent registrations with one tax id, one
 * fails and appends nothing.
 */
function taxIdClaims(before: CustomerState, events: CustomerDomainEvent[]) {
  const claims: Array<{ kind: string; id: string }> = [];
  const releases: Array<{ kind: string; id: string }> = [];
  let current = before.status === 'registered' ? before.taxId : undefined;
  for (const event of events) {
    const next = event.type === 'CustomerRegistered' ? event.data.taxId
      : event.type === 'CustomerProfileUpdated' && event.data.changedFields.includes('taxId') ? event.data.taxId ?? undefined
        : current;
    if (next === current) continue;
    if (current) releases.push({ kind: TAX_ID, id: taxIdKey(current) });
    if (next) claims.push({ kind: TAX_ID, id: taxIdKey(next) });
    current = next;
  }
  return { claims, releases: releases.filter((r) => !claims.some((c) => c.id === r.id)) };
}

// No snapshots: a customer's stream is short, and its state holds sealed values only.
export const customerCommandHandler = provideCommandHandler(CUSTOMER_HANDLER, {
  name: 'customer',
  decider: customerDecider,
  uniqueLookups: {
    of: taxIdClaims,
    taken: (_claim, ownerStream) => {
      const existingCustomerId = ownerStream.replace(/^customer-/, '');
      return domainError('duplicate-tax-id', 'conflict', `customer ${existingCustomerId} is already registered with this tax id`, 'taxId', { existingCustomerId });
    },
  },
});

export interface CustomerCommandOptions<R> {
  metadata: EventMetadata;
  now: string;
  idempotency?: { key: string; request: unknown };
  /** The version the client read (If-Match): another version is 412, nothing appended. */
  expectedVersion?: number;
  respond: (events: CustomerDomainEvent[], version: number) => R;
}

/** One customer's stream: every command seals personal data before it is stored. */
@Injectable()
export class CustomerCommands {
  constructor(
    @Inject(CUSTOMER_HANDLER) private readonly handler: CommandHandler<CustomerState, CustomerCommand, CustomerDomainEvent>,
    private readonly vault: PersonalDataVault,
    private readonly blindIndex: EmailBlindIndex,
  ) {}

  async execute<R>(customerId: string, command: CustomerCommand, options: CustomerCommandOptions<R>): Promise<R> {
    try {
      return await this.handler.execute({
        streamId: customerStream(customerId),
        partitionKey: customerId,
        command,
        metadata: { ...options.metadata, command: command.type },
        now: options.now,
        expectedVersion: options.expectedVersion,
        idempotency: options.idempotency && { scope: command.type, ...options.idempotency },
        respond: options.respond,
        beforeAppend: (events, before) => sealEvents(this.vault, customerId, this.blindIndex.addTo(events), before.status === 'registered' ? before.kind : undefined),
      });
    } catch (error) {
      // Customers' contract: a stale If-Match is a failed precondition (412), not a conflict.
      if (error instanceof WrongExpectedVersionError && options.expectedVersion !== undefined) {
        if ((await this.load(customerId)).version === 0) throw customerNotFound(customerId);
        throw new PreconditionFailedException(`customer ${customerId} is no longer at version ${options.expectedVersion}: read it again`);
      }
      throw error;
    }
  }

  /** The current state and version on the write side (read it before the next await). */
  load(customerId: string) {
    return this.handler.load(customerStream(customerId));
  }
}
