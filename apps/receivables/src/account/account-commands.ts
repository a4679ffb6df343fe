import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import { closedGates, CommandHandler, CommandHandlerOptions, PostgresEventStore, Queryable, takeGaplessNumber, VersionedState } from '@crm/eventing';
import { EVENT_STORE, provideCommandHandler } from '@crm/platform';
import {
  accountDecider, AccountCommand, AccountEvent, accountLookups, AccountState, InvoiceNumbering, invoiceNumber, invoiceSeries,
  nextAccountTransition, PERIOD_GATE, periodsConcerned,
} from '@crm/receivables-domain';
import { INVOICE_NUMBERING } from '../invoices/invoice-numbering.config';

export const accountStream = (customerId: string) => `account-${customerId}`;
const customerOfStream = (streamId: string) => streamId.slice('account-'.length);

/** Schedule category of accounts: the day-close policy closes the ones due. */
export const ACCOUNT_SCHEDULE = 'receivables-account';
const ACCOUNT_HANDLER = Symbol('ACCOUNT_HANDLER');

/** How receivables runs account commands (also what its benchmarks measure). */
export const accountHandlerOptions: Omit<CommandHandlerOptions<AccountState, AccountCommand, AccountEvent>, 'logger'> = {
  name: 'receivables-account',
  decider: accountDecider,
  // Bump when evolveAccount or AccountState changes shape: older snapshots are then ignored.
  snapshots: { schemaVersion: 4 },
  lookups: accountLookups,
  schedule: { category: ACCOUNT_SCHEDULE, nextDueOn: nextAccountTransition },
};

export const accountCommandHandler = provideCommandHandler(ACCOUNT_HANDLER, accountHandlerOptions);

export interface AccountCommandOptions {
  metadata: EventMetadata;
  now: string;
  idempotencyKey?: string;
  request?: unknown;
  respond?: (events: AccountEvent[]) => unknown;
  /** From If-Match: the account version the client read; a mismatch is a 409, not a retry. */
  expectedVersion?: number;
}

/** Commands that date an entry a closed period protects (and, for invoices, take a number). */
const DATED_COMMANDS = new Set<AccountCommand['type']>(['IssueInvoice', 'ReceivePayment', 'IssueCreditNote', 'ReversePayment', 'AllocatePayment', 'RefundCreditBalance',
  // Dated, and gated, only for the credit application they may bring.
  'SetReceivablesPolicy', 'ResolveDispute']);

const LOOKUP_LABEL = { invoice: 'invoice', payment: 'payment', 'write-off-request': 'write-off request', 'invoice-number': 'invoice number' } as const;

/** One customer's receivables stream: its commands, its state, and which account owns an id. */
@Injectable()
export class AccountCommands {
  constructor(
    @Inject(ACCOUNT_HANDLER) private readonly handler: CommandHandler<AccountState, AccountCommand, AccountEvent>,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(INVOICE_NUMBERING) private readonly numbering: InvoiceNumbering,
  ) {}

  execute<R = unknown>(customerId: string, command: AccountCommand, options: AccountCommandOptions): Promise<R> {
    const lateEntryAllowed = options.metadata.actor.roles.includes('admin');
    return this.handler.execute({
      streamId: accountStream(customerId),
      partitionKey: customerId,
      command,
      metadata: { ...options.metadata, command: command.type },
      now: options.now,
      idempotency: options.idempotencyKey ? { scope: command.type, key: options.idempotencyKey, request: options.request } : undefined,
      respond: (events) => (options.respond ? options.respond(events) : { events: events.map((e) => e.type) }) as R,
      expectedVersion: options.expectedVersion,
      prepare: DATED_COMMANDS.has(command.type) ? (tx, c, state) => this.prepare(tx, c, state, lateEntryAllowed) : undefined,
    });
  }

  /**
   * In the append's transaction (ADR 26): the gates of the periods the command dates into, read
   * under lock, so a period closed meanwhile is seen; and an invoice's number, taken from its
   * series so that a refusal or a conflict gives it back (gapless).
   */
  private async prepare(tx: Queryable, command: AccountCommand, state: AccountState, lateEntryAllowed: boolean): Promise<AccountCommand> {
    const periods = { closed: [...await closedGates(tx, PERIOD_GATE, periodsConcerned(command, state))], lateEntryAllowed };
    if (command.type !== 'IssueInvoice' || command.data.number) return { ...command, periods } as AccountCommand;
    const series = invoiceSeries(this.numbering, command.data.issueDate);
    const number = invoiceNumber(series, await takeGaplessNumber(tx, `invoice:${series}`));
    return { ...command, data: { ...command.data, number }, periods };
  }

  /** The account and its stream version (the ETag of everything read from it); read it at once. */
  load(customerId: string): Promise<VersionedState<AccountState>> {
    return this.handler.load(accountStream(customerId));
  }

  /** Writes the account's day-close schedule from its state (after a close that recorded nothing). */
  reschedule(customerId: string, partitionKey = customerId): Promise<string | null> {
    return this.handler.reschedule(accountStream(customerId), partitionKey);
  }

  /** Which customer's account holds this invoice, payment or write-off request (written with the append). */
  async ownerOf(kind: keyof typeof LOOKUP_LABEL, id: string): Promise<string> {
    const customerId = await this.findOwner(kind, id);
    if (!customerId) throw new NotFoundException(`${LOOKUP_LABEL[kind]} ${id} not found`);
    return customerId;
  }

  /** As `ownerOf`, undefined when no account holds it. */
  async findOwner(kind: keyof typeof LOOKUP_LABEL, id: string): Promise<string | undefined> {
    const streamId = await this.store.streamOwning(kind, id);
    return streamId ? customerOfStream(streamId) : undefined;
  }
}
