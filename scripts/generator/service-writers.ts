// The commands a user would send, built exactly as each service's controller builds them
// (apps/<service>/src/**.controller.ts) and executed through that service's own command
// classes and handler options (deciders, lookups, schedules, sealing, tax-id claims) on its
// own database: the events are the ones the API would have recorded. Only the clock differs:
// `now` is the simulated business time the command is sent at, not the wall clock.
import { FactoryProvider } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import { businessDateOf, ComplaintEvent } from '@crm/engagement-domain';
import { CommandHandler, commandHandlerFor, eventsAppendedTotal, MasterKeyWrapper, PersonalDataVault, PostgresEventStore } from '@crm/eventing';
import { businessCalendarDecider, businessDate, BusinessDays, loadServiceConfig } from '@crm/platform';
import pino from 'pino';
import { Pool } from 'pg';
import { customerCommandHandler, CustomerCommands } from '../../apps/customers/src/customer/customer-commands';
import { EmailBlindIndex } from '../../apps/customers/src/personal-data/email-blind-index';
import { AccountCommands, accountHandlerOptions } from '../../apps/receivables/src/account/account-commands';
import { CustomerFacts } from '../../apps/receivables/src/read-models/customer-facts';
import { invoiceNumbering } from '../../apps/receivables/src/invoices/invoice-numbering.config';
import { ComplaintSlaPolicies } from '../../apps/engagement/src/complaints/complaint-sla-policies';
import { complaintHandlers, ComplaintStreams } from '../../apps/engagement/src/complaints/complaint-streams';
import { ComplaintQueries } from '../../apps/engagement/src/complaints/complaints.queries';
import { EngagementCustomers } from '../../apps/engagement/src/customer-directory/engagement-customers';
import { CustomerProfile } from './population';

export type ServiceName = 'customers' | 'credit' | 'receivables' | 'engagement';
export const SERVICES: readonly ServiceName[] = ['customers', 'credit', 'receivables', 'engagement'];

/** Each service's `…BusinessDayClosed` type (its module's `dayClose.eventType`) and who may close its day. */
const DAY_CLOSE: Record<ServiceName, { eventType: string; role: string; notAfterToday?: boolean }> = {
  customers: { eventType: 'CustomersBusinessDayClosed', role: 'account_manager' },
  credit: { eventType: 'CreditBusinessDayClosed', role: 'credit_manager' },
  receivables: { eventType: 'BusinessDayClosed', role: 'credit_manager', notAfterToday: true },
  engagement: { eventType: 'EngagementBusinessDayClosed', role: 'account_manager' },
};

export interface Actor { id: string; roles: string[] }

/** What eventMetadata(request, command) records for a request: a fresh request id is its causation and correlation id. */
export interface Sent { actor: Actor; requestId: string; now: string }
const metadata = (sent: Sent, command: string): EventMetadata =>
  ({ actor: sent.actor as EventMetadata['actor'], correlationId: sent.requestId, causationId: sent.requestId, command });

const silent = pino({ level: 'silent' });
const handlerOf = <H>(provider: unknown, store: PostgresEventStore): H => (provider as FactoryProvider).useFactory(store, silent) as H;

/**
 * Commands sent (answered or refused) and events appended: the progress bar's figures. Events
 * are counted where the store counts them (its `crm_events_appended_total`), so a retried
 * append or a replayed idempotent request is not counted twice.
 */
export class Tally {
  commands = 0;
  refused = new Map<string, number>();
  private readonly appended = eventsAppendedTotal();
  private appendedSoFar = 0;

  done() {
    this.commands++;
  }

  refuse(code: string) {
    this.commands++;
    this.refused.set(code, (this.refused.get(code) ?? 0) + 1);
  }

  /** Refreshed from the store's counter (an async read): call before reading `events`. */
  async refresh(): Promise<void> {
    this.appendedSoFar = (await this.appended.get()).values.reduce((n, v) => n + v.value, 0);
  }

  get events(): number {
    return this.appendedSoFar;
  }
}

export interface InvoiceBody {
  customerId: string; currency: string; issueDate: string;
  lines: Array<{ description: string; quantity: number; unitPrice: number }>;
  terms: { type: 'net'; days: number } | { type: 'installments'; schedule: Array<{ dueDate: string; amount: number }> };
}

export class ServiceWriters {
  readonly pools: Record<ServiceName, Pool>;
  private readonly stores: Record<ServiceName, PostgresEventStore>;
  private readonly customers: CustomerCommands;
  private readonly accounts: AccountCommands;
  private readonly facts: CustomerFacts;
  private readonly complaints: ComplaintStreams;
  private readonly slaPolicies: ComplaintSlaPolicies;
  private readonly engagementCustomers: EngagementCustomers;
  private readonly complaintQueries: ComplaintQueries;
  private readonly calendars: Record<ServiceName, BusinessDays>;
  /** BUSINESS_TIME_ZONE, as the services read it. */
  private readonly timeZone: string;

  constructor(databases: Record<ServiceName, string>, poolSize: number, readonly tally: Tally, env: NodeJS.ProcessEnv = process.env) {
    this.pools = Object.fromEntries(SERVICES.map((s) => [s, new Pool({ connectionString: databases[s], max: poolSize })])) as Record<ServiceName, Pool>;
    this.stores = Object.fromEntries(SERVICES.map((s) => [s, new PostgresEventStore(this.pools[s])])) as Record<ServiceName, PostgresEventStore>;
    // The customers service's own key and business time zone (same environment, same rules):
    // sealed values it can open. The generator verifies no tokens; the secret only passes the check.
    const config = loadServiceConfig('customers', 3001, { AUTH_DEV_SECRET: 'dev-secret-change-me-please', ...env,
      DATABASE_URL: databases.customers, KAFKA_BROKERS: env.KAFKA_BROKERS ?? '127.0.0.1:9092' });
    this.timeZone = config.businessTimeZone;
    // As CustomersModule provides them: the vault with the master and accepted keys, the blind index with its own key.
    this.customers = new CustomerCommands(handlerOf(customerCommandHandler, this.stores.customers),
      new PersonalDataVault(this.pools.customers, new MasterKeyWrapper(config.personalDataMasterKey, config.personalDataAcceptedMasterKeys)),
      new EmailBlindIndex(config.personalDataIndexKey));
    // Receivables' numbering from the same environment (INVOICE_NUMBER_PREFIX, _SERIES): numbers are taken in the append's transaction.
    this.accounts = new AccountCommands(commandHandlerFor(this.stores.receivables, accountHandlerOptions), this.stores.receivables, invoiceNumbering(env));
    this.facts = new CustomerFacts(this.pools.receivables);
    const [complaintHandler, surveyHandler, responseHandler] = complaintHandlers.map((p) => handlerOf<CommandHandler<any, any, any>>(p, this.stores.engagement));
    this.complaints = new ComplaintStreams(complaintHandler, surveyHandler, responseHandler);
    this.slaPolicies = new ComplaintSlaPolicies(this.stores.engagement, silent);
    this.engagementCustomers = new EngagementCustomers(this.pools.engagement);
    this.complaintQueries = new ComplaintQueries(this.pools.engagement);
    this.calendars = Object.fromEntries(SERVICES.map((s) => {
      const stream = `${s}-business-days`;
      const handler = commandHandlerFor(this.stores[s], { name: stream, decider: businessCalendarDecider(DAY_CLOSE[s].eventType), snapshots: { schemaVersion: 1 } });
      return [s, new BusinessDays(handler, stream)];
    })) as Record<ServiceName, BusinessDays>;
  }

  static dayCloseRole(service: ServiceName): string {
    return DAY_CLOSE[service].role;
  }

  /** POST /v1/customers (RegisterCustomerController). */
  register(profile: CustomerProfile, sent: Sent, idempotencyKey: string) {
    const customerId = profile.customerId;
    const body = profile.registration;
    return this.customers.execute(customerId, { type: 'RegisterCustomer', data: { customerId, ...body } }, {
      metadata: metadata(sent, 'RegisterCustomer'), now: sent.now,
      idempotency: { key: idempotencyKey, request: body },
      respond: (events, version) => {
        return { id: customerId, version };
      },
    });
  }

  /** POST /v1/invoices (InvoicesController.issue); `invoiceId` is the server's id, seeded here. */
  async issueInvoice(invoiceId: string, body: InvoiceBody, sent: Sent, idempotencyKey: string): Promise<{ id: string; dueDates: string[] }> {
    const context = await this.facts.creditContext(body.customerId);
    return this.accounts.execute(body.customerId, {
      type: 'IssueInvoice',
      data: { invoiceId, customerId: body.customerId, currency: body.currency, issueDate: body.issueDate,
        lines: body.lines.map((l) => ({ ...l })), terms: body.terms, earlyPaymentDiscount: undefined, lateEntryReason: undefined },
      context,
    }, {
      metadata: metadata(sent, 'IssueInvoice'), now: sent.now, idempotencyKey, request: body,
      respond: ([issued]) => {
        if (issued.type !== 'InvoiceIssued') throw new Error(`IssueInvoice recorded ${issued.type}`);
        const d = issued.data;
        return { id: d.invoiceId, number: d.number, total: d.total, currency: d.currency, dueDates: d.installments.map((i) => i.dueDate),
          installments: d.installments, earlyPaymentDiscount: d.earlyPaymentDiscount };
      },
    });
  }

  /** POST /v1/payments (PaymentsController.receive). */
  async receivePayment(paymentId: string, body: { customerId: string; amount: number; currency: string; receivedOn: string; method: string; reference: string;
    allocations: Array<{ invoiceId: string; amount: number }> }, sent: Sent, idempotencyKey: string) {
    const context = { customerKnown: await this.facts.isKnown(body.customerId) };
    return this.accounts.execute(body.customerId, {
      type: 'ReceivePayment',
      data: { paymentId, customerId: body.customerId, amount: body.amount, currency: body.currency, receivedOn: body.receivedOn,
        method: body.method, reference: body.reference, allocations: body.allocations.map((a) => ({ ...a })), remittance: undefined, lateEntryReason: undefined },
      context,
    }, {
      metadata: metadata(sent, 'ReceivePayment'), now: sent.now, idempotencyKey, request: body,
      respond: ([received]) => {
        if (received.type !== 'PaymentReceived') throw new Error(`ReceivePayment recorded ${received.type}`);
        const d = received.data;
        return { id: d.paymentId, customerId: d.customerId, amount: d.amount, currency: d.currency, allocations: d.allocations, unapplied: d.unapplied,
          ...(d.lateEntry ? { lateEntry: d.lateEntry } : {}), ...(d.matching ? { matching: d.matching } : {}) };
      },
    });
  }

  /** The invoice actions (InvoiceActionsController): dispute, resolve, promise to pay, write-off request; `today` is the sent day. */
  invoiceAction(customerId: string, command: Parameters<AccountCommands['execute']>[1], sent: Sent) {
    return this.accounts.execute(customerId, command, { metadata: metadata(sent, command.type), now: sent.now, respond: (events) => {
      return events[0]?.data;
    } });
  }

  /** POST /v1/complaints (ComplaintsController.raise). */
  async raiseComplaint(complaintId: string, body: { customerId: string; category: string; severity: 'low' | 'medium' | 'high' | 'critical'; description: string },
    sent: Sent, idempotencyKey: string) {
    const [customer, policy] = await Promise.all([this.engagementCustomers.require(body.customerId), this.slaPolicies.current()]);
    return this.complaints.complaint(complaintId, body.customerId, {
      type: 'RaiseComplaint',
      data: { complaintId, customerId: body.customerId, category: body.category, severity: body.severity, description: body.description,
        raisedAt: sent.now, raisedBy: sent.actor.id },
      context: { abcClass: customer.abcClass, policy, timeZone: this.timeZone },
    }, {
      metadata: metadata(sent, 'RaiseComplaint'), now: sent.now, idempotencyKey, request: body,
      respond: ([e]: ComplaintEvent[]) => {
        if (e.type !== 'ComplaintRaised') throw new Error(`RaiseComplaint recorded ${e.type}`);
        return { id: e.data.complaintId, status: 'open', customerId: e.data.customerId, sla: e.data.sla };
      },
    });
  }

  /** POST /v1/complaints/{id}/acknowledge and …/resolve. */
  complaintStep(complaintId: string, customerId: string, step: 'acknowledge' | 'resolve', sent: Sent, resolution = '') {
    const command = step === 'acknowledge'
      ? { type: 'AcknowledgeComplaint' as const, data: { acknowledgedAt: sent.now, acknowledgedBy: sent.actor.id } }
      : { type: 'ResolveComplaint' as const, data: { resolution, resolvedAt: sent.now, resolvedBy: sent.actor.id } };
    return this.complaints.complaint(complaintId, customerId, command, {
      metadata: metadata(sent, command.type), now: sent.now,
      respond: (events) => {
        return { id: complaintId, recorded: events.map((e) => e.type) };
      },
    });
  }

  /** POST /v1/surveys/responses (SurveysController.respond). */
  async recordSurvey(responseId: string, body: { customerId: string; kind: 'csat' | 'nps'; score: number; comment?: string; respondedAt: string },
    sent: Sent, idempotencyKey: string) {
    const customer = await this.engagementCustomers.require(body.customerId);
    const tier = await this.complaintQueries.tierOf(body.customerId);
    const respondedAt = new Date(body.respondedAt).toISOString();
    return this.complaints.recordResponse({
      type: 'RecordSurveyResponse',
      data: { responseId, customerId: body.customerId, kind: body.kind, score: body.score, comment: body.comment ?? null, respondedAt,
        respondedOn: businessDateOf(respondedAt, this.timeZone), segment: { abcClass: customer.abcClass, region: customer.region, tier } },
    }, {
      metadata: metadata(sent, 'RecordSurveyResponse'), now: sent.now, idempotencyKey, request: body,
      respond: ([e]) => {
        if (e.type !== 'SurveyResponseRecorded') throw new Error(`RecordSurveyResponse recorded ${e.type}`);
        const { responseId: id, ...rest } = e.data;
        return { id, ...rest };
      },
    });
  }

  /** POST /v1/operations/close-day on one service (the platform's controller records the date; the service's policy does the work). */
  async closeDay(service: ServiceName, date: string, sent: Sent): Promise<boolean> {
    // A service that refuses future dates is told the real today, as its controller does (a simulated day is never after it).
    const today = DAY_CLOSE[service].notAfterToday ? businessDate(new Date(), this.timeZone) : undefined;
    const closed = await this.calendars[service].close(date, metadata(sent, 'CloseDay'), sent.now, today);
    this.tally.done();
    return closed;
  }

  async close(): Promise<void> {
    await Promise.all(SERVICES.map((s) => this.pools[s].end()));
  }
}
