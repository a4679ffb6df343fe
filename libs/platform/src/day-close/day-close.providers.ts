import { Provider, Type } from '@nestjs/common';
import { provideCommandHandler } from '../eventing/command-handler.provider';
import { businessCalendarDecider } from './business-calendar.decider';
import { BUSINESS_CALENDAR_HANDLER, BUSINESS_CALENDAR_STREAM, BusinessDays } from './business-days';
import { closeDayController } from './close-day.controller';
import { DAY_CLOSE_OPTIONS, DayCloseOptions } from './day-close.options';
import { DayClosePolicy } from './day-close.policy';
import { DayCloseRuns } from './day-close-runs';

/** The platform's day close for one service: calendar stream, runs, policy and endpoints. */
export function dayCloseParts(serviceName: string, options: DayCloseOptions | undefined)
  : { providers: Provider[]; controllers: Array<Type<unknown>>; policies: Array<Type<DayClosePolicy>> } {
  if (!options) return { providers: [], controllers: [], policies: [] };
  const stream = `${serviceName}-business-days`;
  return {
    providers: [
      { provide: DAY_CLOSE_OPTIONS, useValue: options },
      { provide: BUSINESS_CALENDAR_STREAM, useValue: stream },
      provideCommandHandler(BUSINESS_CALENDAR_HANDLER, { name: stream, decider: businessCalendarDecider(options.eventType), snapshots: { schemaVersion: 1 } }),
      BusinessDays,
      DayCloseRuns,
      DayClosePolicy,
    ],
    controllers: [closeDayController(options.roles, options.notAfterToday ?? false)],
    policies: [DayClosePolicy],
  };
}
