import { Inject, Injectable } from '@nestjs/common';
import { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../eventing/tokens';

/** The calendar date of an instant in a time zone, written YYYY-MM-DD. */
export function businessDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

/**
 * The request's instant and business date, read at the edge and passed into the domain.
 * The date is the business's own calendar day (BUSINESS_TIME_ZONE), not UTC's: in Shanghai
 * a credit note at 07:00 belongs to that day, not the day before.
 */
@Injectable()
export class BusinessClock {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  now(): { now: string; today: string } {
    const instant = new Date();
    return { now: instant.toISOString(), today: businessDate(instant, this.config.businessTimeZone) };
  }

  /** The business date an instant fell on (as-of views answer on the date it was then). */
  dateOf(instant: string): string {
    return businessDate(new Date(instant), this.config.businessTimeZone);
  }
}
