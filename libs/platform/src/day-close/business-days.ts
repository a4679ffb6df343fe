import { Inject, Injectable } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import { CommandHandler } from '@crm/eventing';
import { BusinessCalendar, BusinessDayClosed, CloseBusinessDay } from './business-calendar.decider';

export const BUSINESS_CALENDAR_HANDLER = Symbol('BUSINESS_CALENDAR_HANDLER');
export const BUSINESS_CALENDAR_STREAM = Symbol('BUSINESS_CALENDAR_STREAM');

/** The service's calendar of closed business dates: one stream, `<service>-business-days`. */
@Injectable()
export class BusinessDays {
  constructor(
    @Inject(BUSINESS_CALENDAR_HANDLER) private readonly handler: CommandHandler<BusinessCalendar, CloseBusinessDay, BusinessDayClosed>,
    @Inject(BUSINESS_CALENDAR_STREAM) private readonly stream: string,
  ) {}

  /**
   * Records the close (false when the date is already closed; 409 before the last one; 422
   * after `latest`, today, when the service refuses future dates).
   */
  close(businessDate: string, metadata: EventMetadata, now: string, latest?: string): Promise<boolean> {
    return this.handler.execute({
      streamId: this.stream, partitionKey: this.stream,
      command: { type: 'CloseBusinessDay', data: { businessDate, closedBy: metadata.actor.id, ...(latest ? { latest } : {}) } },
      metadata: { ...metadata, command: 'CloseBusinessDay' }, now, respond: (events) => events.length > 0,
    });
  }

  async lastClosed(): Promise<string | null> {
    return (await this.handler.load(this.stream)).state.lastClosed;
  }
}
