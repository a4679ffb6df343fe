import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EventEnvelope, eventsTopic, ServiceName } from '@crm/contracts';
import { Policy, PolicyCommand } from '@crm/eventing';
import { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../eventing/tokens';
import { BusinessDays } from './business-days';
import { DAY_CLOSE_OPTIONS, DayCloseOptions, DayCloseWork } from './day-close.options';
import { DayCloseRuns } from './day-close-runs';

/** Progress is written every so many closes (and at the end), not after each one. */
const PROGRESS_EVERY = 100;

/**
 * Day close as work, not a request (ADR 13): on the service's `…BusinessDayClosed` it closes
 * what the service's `DayCloseWork` says is due — not everything. A redelivered event (a crash
 * mid-run) resumes: what was closed is no longer due, and each command's idempotency key
 * (event id + key) answers with its first result.
 */
@Injectable()
export class DayClosePolicy implements Policy {
  readonly name: string;
  readonly topics: string[];
  private work?: DayCloseWork;

  constructor(
    private readonly days: BusinessDays,
    private readonly runs: DayCloseRuns,
    private readonly modules: ModuleRef,
    @Inject(DAY_CLOSE_OPTIONS) private readonly options: DayCloseOptions,
    @Inject(SERVICE_CONFIG) config: ServiceConfig,
  ) {
    this.name = `${config.serviceName}-day-close`;
    this.topics = [eventsTopic(config.serviceName as ServiceName, config.kafkaTopicPrefix)];
  }

  async handle(event: EventEnvelope): Promise<PolicyCommand[]> {
    if (event.type !== this.options.eventType) return [];
    const { businessDate } = event.data as { businessDate: string };
    // Replaying history (a new consumer group): a later close already did this date's work.
    const last = await this.days.lastClosed();
    if (last !== null && last > businessDate) {
      await this.runs.start(businessDate, event.id, 0);
      await this.runs.finish(businessDate, 'superseded');
      return [];
    }
    // The work is a provider of the service's module, which this global one cannot inject.
    const work = (this.work ??= this.modules.get(this.options.work, { strict: false }));
    const due = await work.due(businessDate);
    await this.runs.start(businessDate, event.id, due.length);
    const tally = new Tally(this.runs, businessDate);
    return [
      ...due.map((key): PolicyCommand => ({
        key,
        send: async (context) => tally.add(await work.close(key, businessDate, {
          ...context,
          metadata: { actor: { id: `policy:${this.name}`, roles: [] }, correlationId: context.correlationId, causationId: context.causationId },
          now: event.time,
        })),
      })),
      { key: 'finish', send: async () => { await tally.flush(); await this.runs.finish(businessDate, 'completed'); } },
    ];
  }
}

/** Counts what the run recorded, written in steps so progress shows while it runs. */
class Tally {
  private done = 0;
  private recorded: Record<string, number> = {};

  constructor(private readonly runs: DayCloseRuns, private readonly businessDate: string) {}

  async add(types: string[]): Promise<void> {
    this.done++;
    for (const type of types) this.recorded[type] = (this.recorded[type] ?? 0) + 1;
    if (this.done >= PROGRESS_EVERY) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.done === 0) return;
    const [done, recorded] = [this.done, this.recorded];
    this.done = 0;
    this.recorded = {};
    await this.runs.progress(this.businessDate, done, recorded);
  }
}
