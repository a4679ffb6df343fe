import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import { handleCommand, PostgresEventStore } from '@crm/eventing';
import { DomainProblem, EVENT_STORE, PG_POOL } from '@crm/platform';
import {
  accountDecider, AccountCommand, AccountEvent, AccountState, businessDayDecider, ReceivablesError,
} from '@crm/receivables-domain';
import { Pool } from 'pg';

export const accountStream = (customerId: string) => `account-${customerId}`;
export const BUSINESS_DAYS_STREAM = 'receivables-business-days';

export interface CommandOptions {
  metadata: EventMetadata;
  now: string;
  idempotencyKey?: string;
  request?: unknown;
  respond?: (events: AccountEvent[]) => unknown;
  /** From If-Match: the account version the client read; a mismatch is a 409, not a retry. */
  expectedVersion?: number;
}

/** Runs account commands: load the customer's stream, decide, append with the version read. */
@Injectable()
export class AccountCommandsService {
  constructor(@Inject(EVENT_STORE) private readonly store: PostgresEventStore, @Inject(PG_POOL) private readonly pool: Pool) {}

  async execute(customerId: string, command: AccountCommand, options: CommandOptions): Promise<any> {
    try {
      return await handleCommand({
        store: this.store,
        decider: accountDecider,
        streamId: accountStream(customerId),
        partitionKey: customerId,
        command,
        metadata: { ...options.metadata, command: command.type },
        now: options.now,
        idempotency: options.idempotencyKey ? { scope: command.type, key: options.idempotencyKey, request: options.request } : undefined,
        respond: (events) => (options.respond ? options.respond(events) : { events: events.map((e) => e.type) }),
        expectedVersion: options.expectedVersion,
      });
    } catch (error) {
      throw toProblem(error);
    }
  }

  /** From receivables' own copy of customers' events: answers while customers is down. */
  async isKnownCustomer(customerId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM known_customers WHERE id = $1', [customerId]);
    return (rowCount ?? 0) > 0;
  }

  async state(customerId: string): Promise<AccountState> {
    return (await this.versionedState(customerId)).state;
  }

  /** The account and its stream version (the ETag of everything read from it). */
  async versionedState(customerId: string): Promise<{ state: AccountState; version: number }> {
    const events = await this.store.readStream(accountStream(customerId));
    const state = events.reduce((s, e) => accountDecider.evolve(s, e as unknown as AccountEvent), accountDecider.initialState());
    return { state, version: events.length ? events[events.length - 1].streamVersion : 0 };
  }

  async closeBusinessDay(businessDate: string, metadata: EventMetadata, now: string): Promise<void> {
    try {
      await handleCommand({
        store: this.store, decider: businessDayDecider, streamId: BUSINESS_DAYS_STREAM, partitionKey: BUSINESS_DAYS_STREAM,
        command: { type: 'CloseBusinessDay', data: { businessDate, closedBy: metadata.actor.id } },
        metadata: { ...metadata, command: 'CloseBusinessDay' }, now, respond: () => null,
      });
    } catch (error) {
      throw toProblem(error);
    }
  }

  async lastClosedBusinessDate(): Promise<string | null> {
    const events = await this.store.readStream(BUSINESS_DAYS_STREAM);
    return events.length ? (events[events.length - 1].data as any).businessDate : null;
  }

  async accountsWithInvoices(): Promise<string[]> {
    const { rows } = await this.pool.query(`SELECT DISTINCT partition_key FROM events WHERE event_type = 'InvoiceIssued' ORDER BY 1`);
    return rows.map((r) => r.partition_key);
  }

  /** Which customer's stream holds this invoice, payment or write-off request (write-side index). */
  async ownerOf(kind: 'invoice' | 'payment' | 'write-off request', id: string): Promise<string> {
    const [type, field] = kind === 'invoice' ? ['InvoiceIssued', 'invoiceId'] : kind === 'payment' ? ['PaymentReceived', 'paymentId'] : ['WriteOffRequested', 'requestId'];
    const { rows } = await this.pool.query(
      `SELECT partition_key FROM events WHERE event_type = $1 AND data->>'${field}' = $2 LIMIT 1`, [type, id]);
    if (rows.length === 0) throw new NotFoundException(`${kind} ${id} not found`);
    return rows[0].partition_key;
  }
}

function toProblem(error: unknown): unknown {
  if (!(error instanceof ReceivablesError)) return error;
  return new DomainProblem(error.code, error.status, error.message,
    error.field ? { errors: [{ field: error.field, messages: [error.message] }] } : {});
}
