import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EventEnvelope, eventsTopic, ServiceName } from '@crm/contracts';
import { Policy, PolicyCommand } from '@crm/eventing';
import { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../eventing/tokens';
import { BusinessDays } from './business-days';
import { DAY_CLOSE_OPTIONS, DayCloseContext, DayCloseOptions, DayCloseWork } from './day-close.options';
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

  /** The work is a provider (or several) of the service's module, which this global one cannot inject. */
  private resolveWork(): DayCloseWork {
    const { work } = this.options;
    if (typeof work === 'function') return this.modules.get(work, { strict: false });
    return new DayCloseWorkParts(Object.entries(work).map(([name, type]) => [name, this.modules.get(type, { strict: false })]));
  }

  /** Only the service's own close: every other event of its topic passes by without a transaction. */
  reactsTo(event: EventEnvelope): boolean {
    return event.type === this.options.eventType;
  }

  async handle(event: EventEnvelope): Promise<PolicyCommand[]> {
    if (!this.reactsTo(event)) return [];
    const { businessDate } = event.data as { businessDate: string };
    // Replaying history (a new consumer group): a later close already did this date's work.
    const last = await this.days.lastClosed();
    if (last !== null && last > businessDate) {
      await this.runs.start(businessDate, event.id, 0);
      await this.runs.finish(businessDate, 'superseded');
      return [];
    }
    const work = (this.work ??= this.resolveWork());
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

/** The parts of a day close, run in the order listed: each key is `<part>:<its key>`. */
export class DayCloseWorkParts implements DayCloseWork {
  constructor(private readonly parts: Array<[string, DayCloseWork]>) {}

  async due(businessDate: string): Promise<string[]> {
    const keys: string[] = [];
    for (const [name, part] of this.parts) for (const key of await part.due(businessDate)) keys.push(`${name}:${key}`);
    return keys;
  }

  async close(key: string, businessDate: string, context: DayCloseContext): Promise<string[]> {
    const at = key.indexOf(':');
    const part = this.parts.find(([name]) => name === key.slice(0, at));
    if (!part) throw new Error(`day close key ${key} names no part of this service's day close`);
    return part[1].close(key.slice(at + 1), businessDate, context);
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
