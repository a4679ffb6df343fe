import { Inject, Injectable } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import { CloseCreditBusinessDay, creditBusinessDayDecider, CreditBusinessDayEvent, CreditBusinessDayState } from '@crm/credit-domain';
import { CommandHandler } from '@crm/eventing';
import { provideCommandHandler } from '@crm/platform';

const BUSINESS_DAYS_STREAM = 'credit-business-days';
const BUSINESS_DAYS_HANDLER = Symbol('CREDIT_BUSINESS_DAYS_HANDLER');

export const creditBusinessDaysCommandHandler = provideCommandHandler(BUSINESS_DAYS_HANDLER, {
  name: 'credit-business-days', decider: creditBusinessDayDecider, snapshots: { schemaVersion: 1 },
});

/** Credit's calendar of closed business dates (one stream, forward only). */
@Injectable()
export class CreditBusinessDays {
  constructor(@Inject(BUSINESS_DAYS_HANDLER) private readonly handler: CommandHandler<CreditBusinessDayState, CloseCreditBusinessDay, CreditBusinessDayEvent>) {}

  /** Records `CreditBusinessDayClosed` (nothing when the date is already closed; 409 before the last one). */
  close(businessDate: string, metadata: EventMetadata, now: string): Promise<boolean> {
    return this.handler.execute({
      streamId: BUSINESS_DAYS_STREAM, partitionKey: BUSINESS_DAYS_STREAM,
      command: { type: 'CloseCreditBusinessDay', data: { businessDate, closedBy: metadata.actor.id } },
      metadata: { ...metadata, command: 'CloseCreditBusinessDay' }, now, respond: (events) => events.length > 0,
    });
  }

  async lastClosed(): Promise<string | null> {
    return (await this.handler.load(BUSINESS_DAYS_STREAM)).state.lastClosed;
  }
}
