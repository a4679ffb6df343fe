import { randomUUID } from 'node:crypto';
import { tokenFor } from '@crm/testing';

/** What a client saw of one command: accepted once (2xx), with the id it was given. */
export interface Accepted { service: string; kind: 'registration' | 'invoice' | 'payment'; id: string; at: number }
/** An answer a client would call an error, with the phase it fell in. */
export interface Failure { service: string; status: number | 'network'; phase: string; at: number }

type Replicas = () => string[];

/**
 * Writes through the services' APIs at a steady rate, as a client behind a load balancer
 * would: each command has one Idempotency-Key, and a command that met a dead replica, a 5xx or a
 * timeout is sent again with the same key to a live replica until it is accepted. So a command
 * counts once however many tries it took, and a second event for it is a bug.
 */
export class LoadDriver {
  readonly accepted: Accepted[] = [];
  readonly failures: Failure[] = [];
  /** Commands that were never accepted within their deadline: must stay empty. */
  readonly abandoned: { service: string; kind: string; lastStatus: number | 'network' }[] = [];
  /** Invoices refused because receivables had not yet consumed the registration (eventual consistency, not a fault). */
  notYetKnown = 0;
  phase = 'steady';
  private stopped = false;
  private inFlight = new Set<Promise<void>>();
  private tokens: Record<string, string> = {};
  private readonly registered: { id: string; at: number }[] = [];
  private readonly invoices: { id: string; customerId: string; total: number }[] = [];
  private next = 0;

  constructor(private readonly replicas: Record<'customers' | 'receivables', Replicas>, private readonly today: string) {}

  async run(commandsPerSecond: number): Promise<void> {
    this.tokens = { sales: await tokenFor('sales'), collector: await tokenFor('collector') };
    const interval = 1000 / commandsPerSecond;
    const started = Date.now();
    // Open loop: commands start on the clock, not when the previous one finished.
    for (let n = 0; !this.stopped; n++) {
      const wait = started + n * interval - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (this.stopped) break;
      if (this.inFlight.size >= 200) continue;
      const command = this.oneCommand().finally(() => this.inFlight.delete(command));
      this.inFlight.add(command);
    }
  }

  /** Stops starting commands and waits for those in flight (their retries included). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.inFlight]);
  }

  private oneCommand(): Promise<void> {
    // Registrations feed invoices, invoices feed payments: about 2 : 2 : 1.
    const known = this.registered.filter((c) => Date.now() - c.at > 3000);
    const choice = this.next++ % 5;
    if (choice < 2 || known.length === 0) return this.register();
    if (choice < 4 || this.invoices.length === 0) return this.invoice(known[Math.floor(Math.random() * known.length)].id);
    return this.pay(this.invoices.splice(Math.floor(Math.random() * this.invoices.length), 1)[0]);
  }

  private async register() {
    const body = { kind: 'company', legalName: `Fault Tolerant Trading ${randomUUID().slice(0, 6)} Ltd.` };
    const answer = await this.send('customers', 'registration', '/v1/customers', body, 'sales');
    if (answer) this.registered.push({ id: answer.id, at: Date.now() });
  }

  private async invoice(customerId: string) {
    const total = 10_000 + Math.floor(Math.random() * 90_000);
    const body = { customerId, currency: 'CNY', issueDate: this.today, lines: [{ description: 'Tea', quantity: 1, unitPrice: total }], terms: { type: 'net', days: 30 } };
    const answer = await this.send('receivables', 'invoice', '/v1/invoices', body, 'sales');
    if (answer) this.invoices.push({ id: answer.id, customerId, total });
  }

  private async pay(invoice: { id: string; customerId: string; total: number }) {
    const body = { customerId: invoice.customerId, amount: invoice.total, currency: 'CNY', receivedOn: this.today, method: 'bank_transfer',
      reference: `FT-${invoice.id.slice(0, 8)}`, allocations: [{ invoiceId: invoice.id, amount: invoice.total }] };
    await this.send('receivables', 'payment', '/v1/payments', body, 'collector');
  }

  /** One command, sent until accepted; null when refused for good or abandoned. */
  private async send(service: 'customers' | 'receivables', kind: Accepted['kind'], path: string, body: unknown, role: string): Promise<{ id: string } | null> {
    const key = randomUUID();
    const deadline = Date.now() + 180_000;
    let lastStatus: number | 'network' = 'network';
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const live = this.replicas[service]();
      if (live.length === 0) { await pause(200); continue; }
      const url = live[attempt % live.length];
      try {
        const response = await fetch(`${url}${path}`, {
          method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(30_000),
          headers: { 'content-type': 'application/json', 'idempotency-key': key, authorization: `Bearer ${this.tokens[role]}` },
        });
        const answer = (await response.json().catch(() => ({}))) as { id?: string; type?: string };
        if (response.ok) {
          this.accepted.push({ service, kind, id: answer.id!, at: Date.now() });
          return { id: answer.id! };
        }
        // The customer not yet known to receivables (its registration still on the way) is
        // refused and changed nothing: the client gives up on this invoice.
        if (response.status === 422 && answer.type?.endsWith('/unknown-customer')) { this.notYetKnown++; return null; }
        lastStatus = response.status;
        this.failures.push({ service, status: response.status, phase: this.phase, at: Date.now() });
        if (response.status < 500 && response.status !== 429) break;
      } catch {
        lastStatus = 'network';
        this.failures.push({ service, status: 'network', phase: this.phase, at: Date.now() });
      }
      await pause(Math.min(100 * 2 ** attempt, 1000));
    }
    this.abandoned.push({ service, kind, lastStatus });
    return null;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
