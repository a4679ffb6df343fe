import { addDays, DomainError } from '@crm/contracts';
import { Action, Agenda, isBusinessDay } from './agenda';
import { GeneratorOptions } from './options';
import { ACCOUNT_MANAGERS, customerProfile, CustomerProfile, lateness } from './population';
import { Random } from './random';
import { InvoiceBody, Sent, SERVICES, ServiceWriters } from './service-writers';
import { isConnectionRefusal, waitForCloseRuns, waitUntilKnown, whileRefused } from './service-readiness';

const COMPLAINT_CATEGORIES = ['delivery', 'quality', 'billing', 'service'] as const;
const PRODUCTS = [['Longjing tea, 500 g', 18_000], ['Silk scarf', 26_000], ['Porcelain set', 120_000], ['Bamboo chair', 85_000],
  ['Freight, per pallet', 60_000], ['Maintenance visit', 150_000]] as const;

export interface SimulationHooks {
  /** After each business day: the day, how far the run is (0–1). */
  onDay?: (date: string, fraction: number) => void;
}

/**
 * The simulated business: customers registering, invoices with net terms or installments,
 * payments as each customer pays (on time, a little late, late, not at all), disputes,
 * promises to pay, write-offs of what defaulters never pay, complaints with their SLA steps,
 * CSAT after a resolution and NPS once a year — and a day close of every service on every
 * business day. Each day's commands go out together (`concurrency` at a time, streams of
 * different customers in parallel); the day closes wait for the previous day's work.
 */
export class Simulation {
  private readonly agenda: Agenda;
  private readonly end: string;
  private requests = 0;
  private registeredYesterday: string[] = [];

  constructor(private readonly options: GeneratorOptions, private readonly writers: ServiceWriters, private readonly hooks: SimulationHooks = {}) {
    this.end = addDays(options.start, options.days - 1);
    this.agenda = new Agenda(this.end);
  }

  async run(): Promise<void> {
    const { customers, start, days, seed, existingShare } = this.options;
    const random = new Random(`${seed}:registrations`);
    for (let i = 0; i < customers; i++) {
      const joinsLater = random.next() >= existingShare;
      this.agenda.add(joinsLater ? addDays(start, random.int(1, Math.max(1, days - 1))) : start, { kind: 'register', customer: i });
    }
    for (let day = 0; day < days; day++) {
      const date = addDays(start, day);
      if (!isBusinessDay(date)) continue;
      await this.runDay(date);
      this.hooks.onDay?.(date, (day + 1) / days);
    }
  }

  private async runDay(date: string): Promise<void> {
    // Receivables and engagement learn of customers from customers' topic: a user's first request
    // about a new customer comes after that, as in the UI. Registrations are never followed by
    // another action on their own day, so the wait is for yesterday's, which have usually arrived.
    if (this.registeredYesterday.length > 0) await waitUntilKnown(this.writers.pools, this.registeredYesterday);
    const actions = this.agenda.take(date);
    await this.each(actions, (a) => this.perform(date, a));
    this.registeredYesterday = actions.filter((a) => a.kind === 'register').map((a) => customerProfile(this.options.seed, a.customer).customerId);
    await Promise.all(SERVICES.map((service) => {
      const sent = this.sent(`closer-${service}`, [ServiceWriters.dayCloseRole(service)], `${date}T20:00:00.000Z`);
      // A closed date records nothing again: asking again after a refused connection is safe.
      return whileRefused(() => this.writers.closeDay(service, date, sent));
    }));
    await waitForCloseRuns(this.writers.pools, date);
  }

  /** Runs `fn` over `items`, `concurrency` at a time. */
  private async each<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length) await fn(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, items.length) }, worker));
  }

  /** The request as the API would see it: a user with a role, a fresh request id, business time on `date`. */
  private sent(userId: string, roles: string[], now: string): Sent {
    return { actor: { id: userId, roles }, requestId: new Random(`${this.options.seed}:request:${this.requests++}`).uuid(), now };
  }

  private at(date: string, random: Random, fromHour = 9, toHour = 17): string {
    const minutes = random.int(fromHour * 60, toHour * 60 - 1);
    return `${date}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00.000Z`;
  }

  private key(...parts: Array<string | number>): string {
    return `gen:${this.options.seed}:${parts.join(':')}`;
  }

  /**
   * One action; a refusal (credit hold, a paid invoice…) is what the user would have been told:
   * counted, not fatal. A database that refuses a connection (too many clients, a restart) is
   * asked again: nothing was sent on a connection never made.
   */
  private async perform(date: string, action: Action): Promise<void> {
    const profile = customerProfile(this.options.seed, action.customer);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.act(date, action, profile);
        this.writers.tally.done();
        return;
      } catch (error) {
        if (error instanceof DomainError || (error as { status?: number })?.status === 404) {
          this.writers.tally.refuse((error as DomainError).code ?? 'not-found');
          return;
        }
        if (!isConnectionRefusal(error) || attempt >= 8) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }

  private async act(date: string, action: Action, p: CustomerProfile): Promise<void> {
    const random = new Random(`${this.options.seed}:${action.kind}:${action.customer}:${date}:${'invoiceId' in action ? action.invoiceId : ''}`);
    const manager = p.registration.accountManager;
    switch (action.kind) {
      case 'register': {
        await this.writers.register(p, this.sent(manager, ['account_manager'], this.at(date, random)), this.key('register', p.index));
        this.agenda.add(addDays(date, random.int(1, 10)), { kind: 'invoice', customer: p.index });
        this.planComplaint(date, p, random);
        this.agenda.add(addDays(date, random.int(30, 365)), { kind: 'survey', customer: p.index, surveyKind: 'nps', score: npsScore(p, random) });
        return;
      }
      case 'invoice': return this.invoice(date, p, random);
      case 'pay': {
        await this.writers.receivePayment(new Random(this.key('payment', action.invoiceId, action.seq)).uuid(), {
          customerId: p.customerId, amount: action.amount, currency: 'CNY', receivedOn: date, method: random.pick(['bank', 'bank', 'card', 'cash']),
          reference: `PAY-${action.invoiceId.slice(0, 8)}-${action.seq}`, allocations: [{ invoiceId: action.invoiceId, amount: action.amount }],
        }, this.sent(`collector-${(p.index % 4) + 1}`, ['collector'], this.at(date, random)), this.key('pay', action.invoiceId, action.seq));
        return;
      }
      case 'dispute': {
        await this.writers.invoiceAction(p.customerId, { type: 'OpenDispute', data: { invoiceId: action.invoiceId,
          reason: random.pick(['goods damaged in transit', 'quantity short', 'price differs from the order']), openedOn: date } },
        this.sent(manager, ['account_manager'], this.at(date, random)));
        this.agenda.add(action.resolveOn, { kind: 'resolve-dispute', customer: p.index, invoiceId: action.invoiceId });
        return;
      }
      case 'resolve-dispute':
        await this.writers.invoiceAction(p.customerId, { type: 'ResolveDispute', data: { invoiceId: action.invoiceId,
          resolution: 'agreed with the customer', resolvedOn: date } }, this.sent(manager, ['account_manager'], this.at(date, random)));
        return;
      case 'promise':
        await this.writers.invoiceAction(p.customerId, { type: 'RecordPromiseToPay', data: { invoiceId: action.invoiceId,
          promisedDate: action.promisedDate, amount: action.amount, recordedOn: date } }, this.sent(`collector-${(p.index % 4) + 1}`, ['collector'], this.at(date, random)));
        return;
      case 'write-off': {
        const requestId = new Random(this.key('write-off', action.invoiceId)).uuid();
        const collector = `collector-${(p.index % 4) + 1}`;
        await this.writers.invoiceAction(p.customerId, { type: 'RequestWriteOff', data: { requestId, invoiceId: action.invoiceId,
          reason: 'uncollectable after the dunning ladder', requestedBy: collector, requestedOn: date } }, this.sent(collector, ['collector'], this.at(date, random)));
        this.agenda.add(addDays(date, random.int(1, 3)), { kind: 'approve-write-off', customer: p.index, requestId });
        return;
      }
      case 'approve-write-off':
        // Separation of duties: a credit manager, not the collector who asked.
        await this.writers.invoiceAction(p.customerId, { type: 'ApproveWriteOff', data: { requestId: action.requestId, decidedBy: 'credit-manager-1', decidedOn: date } },
          this.sent('credit-manager-1', ['credit_manager'], this.at(date, random)));
        return;
      case 'complaint': return this.complaint(date, p, random);
      case 'complaint-step': {
        await this.writers.complaintStep(action.complaintId, p.customerId, action.step, this.sent(manager, ['account_manager'], this.at(date, random)),
          action.step === 'resolve' ? random.pick(['replacement sent', 'credit agreed', 'explained the invoice']) : '');
        if (action.step === 'resolve') {
          this.agenda.add(addDays(date, random.int(1, 3)), { kind: 'survey', customer: p.index, surveyKind: 'csat', score: csatScore(p, random) });
        }
        return;
      }
      case 'survey': {
        const respondedAt = this.at(date, random, 8, 20);
        await this.writers.recordSurvey(new Random(this.key('survey', p.index, date, action.surveyKind)).uuid(),
          { customerId: p.customerId, kind: action.surveyKind, score: action.score, respondedAt },
          this.sent(manager, ['account_manager'], respondedAt), this.key('survey', p.index, date, action.surveyKind));
        if (action.surveyKind === 'nps') this.agenda.add(addDays(date, 365), { ...action, score: npsScore(p, random) });
        return;
      }
    }
  }

  private async invoice(date: string, p: CustomerProfile, random: Random): Promise<void> {
    this.agenda.add(addDays(date, Math.max(3, Math.round(p.invoiceEveryDays * (0.5 + random.next())))), { kind: 'invoice', customer: p.index });
    const lines = Array.from({ length: random.int(1, 3) }, () => {
      const [description, unitPrice] = random.pick(PRODUCTS);
      return { description, unitPrice, quantity: 1 };
    });
    const base = lines.reduce((n, l) => n + l.unitPrice, 0);
    const target = Math.max(base, Math.round(random.logNormal(p.medianInvoice, 0.5)));
    lines[0].quantity = Math.max(1, Math.round((target - base) / lines[0].unitPrice) + 1);
    const total = lines.reduce((n, l) => n + l.quantity * l.unitPrice, 0);
    const kind = random.weighted([['net30', 75], ['net60', 10], ['installments', 15]] as const);
    const terms: InvoiceBody['terms'] = kind === 'installments'
      ? { type: 'installments', schedule: [1, 2, 3].map((m) => ({ dueDate: addDays(date, 30 * m), amount: m < 3 ? Math.floor(total / 3) : total - 2 * Math.floor(total / 3) })) }
      : { type: 'net', days: kind === 'net30' ? 30 : 60 };
    const invoiceId = new Random(this.key('invoice', p.index, date)).uuid();
    const issued = await this.writers.issueInvoice(invoiceId, { customerId: p.customerId, currency: 'CNY', issueDate: date, lines, terms },
      this.sent(`sales-${(p.index % 6) + 1}`, ['sales'], this.at(date, random)), this.key('invoice', p.index, date));
    const dues = terms.type === 'net' ? [{ dueDate: issued.dueDates[0], amount: total }] : terms.schedule;
    const disputed = random.chance(0.03);
    const resolveOn = addDays(date, random.int(15, 40));
    if (disputed) this.agenda.add(addDays(date, random.int(3, 12)), { kind: 'dispute', customer: p.index, invoiceId, resolveOn });
    dues.forEach((due, seq) => {
      const late = lateness(p.payer, random);
      if (!Number.isFinite(late)) {
        // Never paid: collection runs the ladder, then asks for a write-off.
        if (seq === 0) this.agenda.add(addDays(due.dueDate, random.int(90, 120)), { kind: 'write-off', customer: p.index, invoiceId });
        return;
      }
      let payOn = addDays(due.dueDate, late);
      if (disputed && payOn <= resolveOn) payOn = addDays(resolveOn, random.int(1, 5));
      // Never on the issue date: that day's commands run in parallel, the invoice may not be there yet.
      if (payOn <= date) payOn = addDays(date, 1);
      if (late > 7 && random.chance(0.5)) {
        this.agenda.add(addDays(due.dueDate, random.int(3, Math.min(7, late - 1))), { kind: 'promise', customer: p.index, invoiceId, promisedDate: payOn, amount: due.amount });
      }
      this.agenda.add(payOn, { kind: 'pay', customer: p.index, invoiceId, amount: due.amount, seq });
    });
  }

  private planComplaint(date: string, p: CustomerProfile, random: Random): void {
    const inDays = Math.ceil(-Math.log(Math.max(random.next(), 1e-9)) * (365 / p.complaintsPerYear));
    this.agenda.add(addDays(date, inDays), { kind: 'complaint', customer: p.index });
  }

  private async complaint(date: string, p: CustomerProfile, random: Random): Promise<void> {
    this.planComplaint(date, p, random);
    const complaintId = new Random(this.key('complaint', p.index, date)).uuid();
    const manager = p.registration.accountManager;
    const raisedAt = this.at(date, random, 9, 13);
    await this.writers.raiseComplaint(complaintId, { customerId: p.customerId, category: random.pick(COMPLAINT_CATEGORIES),
      severity: random.weighted([['low', 40], ['medium', 40], ['high', 15], ['critical', 5]] as const), description: 'raised by phone' },
    this.sent(manager, ['account_manager'], raisedAt), this.key('complaint', p.index, date));
    const acknowledgedAtOnce = random.chance(0.7);
    if (acknowledgedAtOnce) {
      // Most are acknowledged within the hour; the rest the next business day (some past their SLA).
      const ackAt = new Date(Date.parse(raisedAt) + random.int(10, 90) * 60_000).toISOString();
      await this.writers.complaintStep(complaintId, p.customerId, 'acknowledge', this.sent(manager, ['account_manager'], ackAt));
    } else {
      this.agenda.add(addDays(date, 1), { kind: 'complaint-step', customer: p.index, complaintId, step: 'acknowledge' });
    }
    // Never on the day of a deferred acknowledgement: the day's commands run in parallel.
    this.agenda.add(addDays(date, random.int(acknowledgedAtOnce ? 1 : 2, 6)), { kind: 'complaint-step', customer: p.index, complaintId, step: 'resolve' });
  }
}

function npsScore(p: CustomerProfile, random: Random): number {
  const [low, high] = p.payer === 'punctual' ? [7, 10] : p.payer === 'slightly-late' ? [5, 10] : [0, 8];
  return random.int(low, high);
}

function csatScore(p: CustomerProfile, random: Random): number {
  return p.payer === 'defaulter' ? random.int(1, 3) : random.int(3, 5);
}

export { ACCOUNT_MANAGERS };
