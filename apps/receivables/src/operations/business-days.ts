import { Inject, Injectable } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import { CommandHandler } from '@crm/eventing';
import { provideCommandHandler } from '@crm/platform';
import { BusinessDayEvent, businessDayDecider, BusinessDayState, CloseBusinessDay } from '@crm/receivables-domain';

const BUSINESS_DAYS_STREAM = 'receivables-business-days';
const BUSINESS_DAYS_HANDLER = Symbol('BUSINESS_DAYS_HANDLER');

export const businessDaysCommandHandler = provideCommandHandler(BUSINESS_DAYS_HANDLER, {
  name: 'receivables-business-days', decider: businessDayDecider, snapshots: { schemaVersion: 1 },
});

/** Receivables' calendar of closed business dates (one stream, forward only). */
@Injectable()
export class BusinessDays {
  constructor(@Inject(BUSINESS_DAYS_HANDLER) private readonly handler: CommandHandler<BusinessDayState, CloseBusinessDay, BusinessDayEvent>) {}

  /** Records `BusinessDayClosed` (nothing when the date is already closed; 409 before the last one). */
  close(businessDate: string, metadata: EventMetadata, now: string): Promise<boolean> {
    return this.handler.execute({
      streamId: BUSINESS_DAYS_STREAM, partitionKey: BUSINESS_DAYS_STREAM,
      command: { type: 'CloseBusinessDay', data: { businessDate, closedBy: metadata.actor.id } },
      metadata: { ...metadata, command: 'CloseBusinessDay' }, now, respond: (events) => events.length > 0,
    });
  }

  async lastClosed(): Promise<string | null> {
    return (await this.handler.load(BUSINESS_DAYS_STREAM)).state.lastClosed;
  }
}
