import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BusinessClock, LOGGER } from '@crm/platform';
import { Logger } from 'pino';
import { ComplaintStreams } from './complaint-streams';
import { ComplaintQueries } from './complaints.queries';

const ACTOR = 'policy:complaint-sla-watch';
const BATCH = 500;

/** SLA_WATCH_SECONDS: how often the watch looks (default 60; 0 turns it off). Read once at start, like the rest of the configuration. */
export function slaWatchSeconds(env: Record<string, string | undefined> = process.env): number {
  const raw = env.SLA_WATCH_SECONDS;
  if (raw === undefined || raw === '') return 60;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`SLA_WATCH_SECONDS must be an integer ≥ 0, got "${raw}"`);
  return value;
}

/**
 * "Breached when the deadline passes" (ADR 18): every N seconds, the complaints whose earliest
 * running deadline is before the clock's reading (indexed column of the complaints read model)
 * get `RecordSlaBreaches { asOf: now }` — the clock is read here, at the edge, and enters the
 * decider as command data. The decider breaches a clock once, so a repeat (another replica, a
 * read model not yet caught up) records nothing.
 */
@Injectable()
export class SlaDeadlineWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @Inject(ComplaintStreams) private readonly streams: Pick<ComplaintStreams, 'complaint'>,
    @Inject(ComplaintQueries) private readonly queries: Pick<ComplaintQueries, 'pastDeadline'>,
    @Inject(BusinessClock) private readonly clock: Pick<BusinessClock, 'now'>,
    @Inject(LOGGER) private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = slaWatchSeconds();
    if (seconds === 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.tick().catch((error) => {
        this.logger.warn({ err: error }, 'SLA deadline watch failed; next round retries');
        return 0;
      }).finally(() => { this.running = undefined; });
    }, seconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One round; returns the breaches recorded. */
  async tick(): Promise<number> {
    const { now } = this.clock.now();
    let recorded = 0;
    for (const { complaintId, customerId } of await this.queries.pastDeadline(now, BATCH)) {
      const types = await this.streams.complaint(complaintId, customerId, { type: 'RecordSlaBreaches', data: { asOf: now } }, {
        metadata: { actor: { id: ACTOR, roles: [] }, correlationId: randomUUID(), causationId: `sla-watch:${complaintId}` }, now,
        respond: (events) => events.map((e) => e.type),
      });
      recorded += types.length;
    }
    return recorded;
  }
}
