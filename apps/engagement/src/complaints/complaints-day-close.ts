import { Inject, Injectable } from '@nestjs/common';
import { endOfBusinessDate } from '@crm/engagement-domain';
import { allStreamsDue } from '@crm/eventing';
import { DayCloseContext, DayCloseWork, PG_POOL, SERVICE_CONFIG, ServiceConfig } from '@crm/platform';
import { Pool } from 'pg';
import { COMPLAINT_SLA_SCHEDULE, complaintOfStream, ComplaintStreams } from './complaint-streams';

/**
 * Complaints' part of the day close (ADR 18): the complaints whose next running SLA deadline
 * falls on or before the date (the stream schedule), each sent `RecordSlaBreaches` as of the
 * end of the business date — closing a date says the date is over, whenever the close runs.
 */
@Injectable()
export class ComplaintsDayClose implements DayCloseWork {
  /** Each due complaint's customer (its partition key), for the `close` calls that follow `due`. */
  private readonly customers = new Map<string, string>();

  constructor(
    private readonly streams: ComplaintStreams,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async due(businessDate: string): Promise<string[]> {
    const due = await allStreamsDue(this.pool, COMPLAINT_SLA_SCHEDULE, businessDate);
    this.customers.clear();
    for (const s of due) this.customers.set(complaintOfStream(s.streamId), s.partitionKey);
    return [...this.customers.keys()];
  }

  async close(complaintId: string, businessDate: string, context: DayCloseContext): Promise<string[]> {
    const customerId = this.customers.get(complaintId) ?? (await this.streams.load(complaintId)).state.customerId!;
    const asOf = endOfBusinessDate(businessDate, this.config.businessTimeZone);
    const types = await this.streams.complaint(complaintId, customerId, { type: 'RecordSlaBreaches', data: { asOf } }, {
      metadata: context.metadata, now: context.now, idempotencyKey: context.idempotencyKey, request: { businessDate },
      respond: (events) => events.map((e) => e.type),
    });
    if (types.length === 0) await this.streams.reschedule(complaintId, customerId);
    return types;
  }
}
