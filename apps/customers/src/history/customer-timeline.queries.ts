import { Inject, Injectable } from '@nestjs/common';
import { cloudEventSource } from '@crm/contracts';
import { compareTimelineKeys, TimelineEntry, timelineEntryOf, timelineSortKey, TimelineSortKey } from '@crm/customers-domain';
import { envelopeOfRecorded, PersonalDataVault, RecordedEvent } from '@crm/eventing';
import { PG_POOL } from '@crm/platform';
import { Pool } from 'pg';
import { CUSTOMER_TIMELINE_TABLE } from './customer-timeline.projection';
import { encodeTimelineCursor } from './timeline-cursor';

export interface TimelineFilter {
  service?: string;
  type?: string;
  /** Normalised instants (`toISOString`), both ends included. */
  from?: string;
  to?: string;
}

export interface TimelinePage {
  events: TimelineEntry[];
  nextCursor: string | null;
}

const KEYSET = 'recorded_at, service, stream_version, event_id';

/**
 * Reads the timeline in keyset pages: one index range per customer or correlation id, whatever
 * the size of the table. Personal values are opened on the way out with each customer's key.
 */
@Injectable()
export class CustomerTimelineQueries {
  constructor(@Inject(PG_POOL) private readonly pool: Pool, private readonly vault: PersonalDataVault) {}

  /**
   * A customer's events. `ownTail`: the customer's own events the store holds and the timeline
   * has not applied yet (it is fed through Kafka), merged in so that a write reads back at once.
   */
  async ofCustomer(customerId: string, filter: TimelineFilter, after: TimelineSortKey | null, limit: number, ownTail: RecordedEvent[]): Promise<TimelinePage> {
    const rows = await this.select('customer_id', customerId, filter, after, limit);
    const indexed = new Set(rows.map((e) => e.id));
    const tail = ownTail.map(ownEntry).filter((e) => !indexed.has(e.id) && matches(e, filter) && (!after || compareTimelineKeys(timelineSortKey(e), after) > 0));
    return this.page([...rows, ...tail].sort((a, b) => compareTimelineKeys(timelineSortKey(a), timelineSortKey(b))), limit);
  }

  /** Every event recorded under one correlation id, across services and customers. */
  async ofCorrelation(correlationId: string, after: TimelineSortKey | null, limit: number): Promise<TimelinePage> {
    return this.page(await this.select('correlation_id', correlationId, {}, after, limit), limit);
  }

  /** The highest version of a customer's own stream the timeline has applied (0: none). */
  async appliedVersion(customerId: string, streamId: string): Promise<number> {
    const { rows } = await this.pool.query(
      `SELECT coalesce(max(stream_version), 0) AS version FROM ${CUSTOMER_TIMELINE_TABLE}
        WHERE customer_id = $1 AND service = 'customers' AND doc->>'streamId' = $2`, [customerId, streamId]);
    return Number(rows[0].version);
  }

  async hasAny(customerId: string): Promise<boolean> {
    const { rows } = await this.pool.query(`SELECT 1 FROM ${CUSTOMER_TIMELINE_TABLE} WHERE customer_id = $1 LIMIT 1`, [customerId]);
    return rows.length > 0;
  }

  private async select(column: 'customer_id' | 'correlation_id', value: string, filter: TimelineFilter, after: TimelineSortKey | null, limit: number): Promise<TimelineEntry[]> {
    const params: unknown[] = [value];
    const where = [`${column} = $1`];
    const add = (sql: string, ...values: unknown[]) => {
      const first = params.length + 1;
      params.push(...values);
      where.push(sql.replace(/\$(\d)/g, (_, n) => `$${first + Number(n) - 1}`));
    };
    if (filter.service) add('service = $1', filter.service);
    if (filter.type) add('event_type = $1', filter.type);
    if (filter.from) add('recorded_at >= $1', filter.from);
    if (filter.to) add('recorded_at <= $1', filter.to);
    if (after) add(`(${KEYSET}) > ($1, $2, $3, $4)`, ...after);
    params.push(limit + 1);
    const { rows } = await this.pool.query(
      `SELECT doc FROM ${CUSTOMER_TIMELINE_TABLE} WHERE ${where.join(' AND ')} ORDER BY ${KEYSET} LIMIT $${params.length}`, params);
    return rows.map((r) => r.doc as TimelineEntry);
  }

  private async page(sorted: TimelineEntry[], limit: number): Promise<TimelinePage> {
    const events = sorted.slice(0, limit);
    return { events: await this.opened(events), nextCursor: sorted.length > limit ? encodeTimelineCursor(timelineSortKey(events[events.length - 1])) : null };
  }

  /** Opens sealed values with one key read per customer; `[erased]` once a customer's key is destroyed. */
  private async opened(events: TimelineEntry[]): Promise<TimelineEntry[]> {
    const bySubject = new Map<string, number[]>();
    events.forEach((e, i) => bySubject.set(e.subject, [...(bySubject.get(e.subject) ?? []), i]));
    const result = [...events];
    for (const [subject, indexes] of bySubject) {
      const { data } = await this.vault.openEverySealed(subject, indexes.map((i) => events[i].data));
      indexes.forEach((i, n) => { result[i] = { ...events[i], data: data[n] }; });
    }
    return result;
  }
}

/** One of customers' own stored events as the relay publishes it (source, subject, business time). */
function ownEntry(event: RecordedEvent): TimelineEntry {
  return timelineEntryOf(envelopeOfRecorded(event, cloudEventSource('customers')));
}

function matches(entry: TimelineEntry, filter: TimelineFilter): boolean {
  return (!filter.service || entry.service === filter.service) && (!filter.type || entry.type === filter.type)
    && (!filter.from || entry.recordedAt >= filter.from) && (!filter.to || entry.recordedAt <= filter.to);
}
