import { Type } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import { PolicyCommandContext } from '@crm/eventing';
import { Role } from '../auth/roles';

/** What a command sent by the day close carries: the policy's idempotency key, metadata and time. */
export interface DayCloseContext extends PolicyCommandContext {
  metadata: EventMetadata;
  /** The close's business time (the `…BusinessDayClosed` event's): a replay records the same. */
  now: string;
}

/**
 * What a service's day close does, as a provider of the service's own module: whom a date
 * has work for (usually the streams whose schedule is due, see `allStreamsDue`) and how to
 * close one of them. The platform records the date, runs the work as a policy and reports.
 */
export interface DayCloseWork {
  /** Keys of what the close of `businessDate` has to touch, each closed by one `close` call. */
  due(businessDate: string): Promise<string[]>;
  /** Closes one; returns the types of the events it recorded (none is fine). */
  close(key: string, businessDate: string, context: DayCloseContext): Promise<string[]>;
}

export interface DayCloseOptions {
  /** The service's own `…BusinessDayClosed` event type (event types are unique across services). */
  eventType: string;
  /**
   * The work; a service whose day close has independent parts (engagement: loyalty, complaints,
   * follow-ups, care, churn) names each, and they run in the order listed, keys prefixed by the
   * part's name (`<part>:<key>`), so a resumed run knows which part a key belongs to.
   */
  work: Type<DayCloseWork> | Record<string, Type<DayCloseWork>>;
  /** Who may close a day; they, auditors and admins may read its progress. */
  roles: Role[];
  /**
   * Refuse a business date later than today in BUSINESS_TIME_ZONE (422 `…/business-date-in-future`):
   * a close records what the date means, which a date not yet over cannot know. Receivables sets
   * it; credit, customers and engagement close dates ahead in their specs (a review due in a year,
   * a year without invoices, SLA deadlines), so they leave it off until those can set the clock.
   */
  notAfterToday?: boolean;
}

export const DAY_CLOSE_OPTIONS = Symbol('DAY_CLOSE_OPTIONS');
