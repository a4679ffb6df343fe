import { Inject, Injectable } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import {
  CareCommand, careCalendarDecider, CareEvent, CareHoliday, CareHolidays, careHolidaysDecider, CareHolidaysEvent, CareState, ConfigureCareHolidays,
} from '@crm/engagement-domain';
import { CommandHandler } from '@crm/eventing';
import { provideCommandHandler } from '@crm/platform';

const CARE_HANDLER = Symbol('CARE_HANDLER');
const HOLIDAYS_HANDLER = Symbol('CARE_HOLIDAYS_HANDLER');
const HOLIDAYS_STREAM = 'care-holidays';

export const careHandlers = [
  provideCommandHandler(CARE_HANDLER, { name: 'care', decider: careCalendarDecider, snapshots: { schemaVersion: 1 } }),
  provideCommandHandler(HOLIDAYS_HANDLER, { name: 'care-holidays', decider: careHolidaysDecider }),
];

export interface CareCommandOptions { metadata: EventMetadata; now: string; idempotencyKey?: string; request?: unknown }

/** Customers' greeting tasks (`care-<customerId>`) and the versioned holiday configuration (`care-holidays`). */
@Injectable()
export class CareStreams {
  constructor(
    @Inject(CARE_HANDLER) private readonly care: CommandHandler<CareState, CareCommand, CareEvent>,
    @Inject(HOLIDAYS_HANDLER) private readonly holidaysHandler: CommandHandler<CareHolidays, ConfigureCareHolidays, CareHolidaysEvent>,
  ) {}

  /** The types of the events recorded (none when the occasion already has its task, or a holiday has no channel). */
  createTask(command: CareCommand, options: CareCommandOptions): Promise<string[]> {
    return this.care.execute({
      streamId: `care-${command.data.customerId}`, partitionKey: command.data.customerId, command,
      metadata: { ...options.metadata, command: command.type }, now: options.now,
      idempotency: options.idempotencyKey ? { scope: command.type, key: options.idempotencyKey, request: options.request ?? null } : undefined,
      respond: (events) => events.map((e) => e.type),
    });
  }

  async holidays(): Promise<CareHolidays> {
    const { state } = await this.holidaysHandler.load(HOLIDAYS_STREAM);
    return { version: state.version, holidays: state.holidays };
  }

  configure(holidays: CareHoliday[], options: CareCommandOptions): Promise<{ version: number; changed: boolean }> {
    return this.holidaysHandler.execute({
      streamId: HOLIDAYS_STREAM, partitionKey: HOLIDAYS_STREAM,
      command: { type: 'ConfigureCareHolidays', data: { holidays, configuredBy: options.metadata.actor.id } },
      metadata: { ...options.metadata, command: 'ConfigureCareHolidays' }, now: options.now,
      idempotency: options.idempotencyKey ? { scope: 'ConfigureCareHolidays', key: options.idempotencyKey, request: options.request ?? null } : undefined,
      respond: (events, version) => ({ version: events[0]?.data.version ?? version, changed: events.length > 0 }),
    });
  }
}
