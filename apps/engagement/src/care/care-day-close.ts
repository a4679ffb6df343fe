import { Inject, Injectable } from '@nestjs/common';
import { CONSENT_CHANNELS, ConsentChannel } from '@crm/contracts';
import { holidaysOn, stableUuid } from '@crm/engagement-domain';
import { DayCloseContext, DayCloseWork, PG_POOL } from '@crm/platform';
import { Pool } from 'pg';
import { CareStreams } from './care-streams';

/** Customers read from the directory per query: a keyset page, never the whole directory in memory. */
const PAGE = 500;
/** Commands in flight at once within a page. */
const PARALLEL = 8;
/** The directory split by the first two hex digits of the customer id: 256 keys, each a resumable unit of the close. */
const BUCKETS = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const anyConsent = CONSENT_CHANNELS.map((c) => `(doc->'consent'->>'${c}')::boolean`).join(' OR ');

/**
 * Care's part of the day close: on a configured holiday's date, a greeting task for every
 * customer not archived with a consented channel. The one close that may touch many
 * customers, so its keys are id ranges of the directory (`customer_directory`, by its primary
 * key), each read in keyset pages; a redelivered close re-runs a range and every customer's
 * stream already has its task (one per holiday and date). Other dates have no keys at all.
 */
@Injectable()
export class CareDayClose implements DayCloseWork {
  /** Customers per directory query (smaller in specs, to cross pages). */
  pageSize = PAGE;

  constructor(
    @Inject(CareStreams) private readonly streams: Pick<CareStreams, 'holidays' | 'createTask'>,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async due(businessDate: string): Promise<string[]> {
    return holidaysOn(await this.streams.holidays(), businessDate).length > 0 ? BUCKETS : [];
  }

  async close(bucket: string, businessDate: string, context: DayCloseContext): Promise<string[]> {
    const config = await this.streams.holidays();
    const holidays = holidaysOn(config, businessDate);
    const next = BUCKETS[BUCKETS.indexOf(bucket) + 1] ?? null;
    const recorded: string[] = [];
    for (let after = ''; ;) {
      const { rows } = await this.pool.query(
        `SELECT id, doc->'consent' AS consent FROM customer_directory
          WHERE id >= $1 AND ($2::text IS NULL OR id < $2) AND id > $3 AND NOT coalesce((doc->>'archived')::boolean, false) AND (${anyConsent})
          ORDER BY id LIMIT $4`, [bucket, next, after, this.pageSize]);
      const commands = rows.flatMap((row) => holidays.map((holiday) => ({ customerId: row.id as string, holiday, channels: channelsOf(row.consent) })));
      for (let i = 0; i < commands.length; i += PARALLEL) {
        const types = await Promise.all(commands.slice(i, i + PARALLEL).map(({ customerId, holiday, channels }) => this.streams.createTask({
          type: 'CreateHolidayTask',
          data: { taskId: stableUuid('holiday', customerId, holiday, businessDate), customerId, holiday, on: businessDate, channels,
            holidaysVersion: config.version, causedBy: context.causationId },
        }, { metadata: context.metadata, now: context.now })));
        recorded.push(...types.flat());
      }
      if (rows.length < this.pageSize) return recorded;
      after = rows[rows.length - 1].id;
    }
  }
}

function channelsOf(consent: Record<string, boolean> | null): ConsentChannel[] {
  return CONSENT_CHANNELS.filter((c) => consent?.[c] === true);
}
