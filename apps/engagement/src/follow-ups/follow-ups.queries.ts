import { Inject, Injectable } from '@nestjs/common';
import { FollowUpDoc, InteractionDoc } from '@crm/engagement-domain';
import { PG_POOL } from '@crm/platform';
import { Pool } from 'pg';
import { DATE_KEY, decodeCursor, encodeCursor, INSTANT_KEY } from './keyset-cursor';

export interface FollowUpFilter { accountManager?: string; status?: string; dueBefore?: string; cursor?: string; limit: number }

/** The interactions and follow-ups read models, in indexed keyset pages. */
@Injectable()
export class FollowUpQueries {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async interactions(customerId: string, cursor: string | undefined, limit: number) {
    const after = decodeCursor(cursor, INSTANT_KEY);
    const { rows } = await this.pool.query(
      `SELECT doc FROM engagement_interactions WHERE customer_id = $1 AND ($2::text IS NULL OR (occurred_at, id) < ($2, $3))
        ORDER BY occurred_at DESC, id DESC LIMIT $4`, [customerId, after?.[0] ?? null, after?.[1] ?? null, limit + 1]);
    const items: InteractionDoc[] = rows.slice(0, limit).map((r) => r.doc);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit ? encodeCursor([last.occurredAt, last.id]) : null };
  }

  /** Earliest due first, by (dueOn, id). */
  async followUps({ accountManager, status, dueBefore, cursor, limit }: FollowUpFilter) {
    const after = decodeCursor(cursor, DATE_KEY);
    const { rows } = await this.pool.query(
      `SELECT doc FROM engagement_follow_ups
        WHERE ($1::text IS NULL OR account_manager = $1) AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR due_on < $3)
          AND ($4::text IS NULL OR (due_on, id) > ($4, $5))
        ORDER BY due_on, id LIMIT $6`,
      [accountManager ?? null, status ?? null, dueBefore ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1]);
    const items: FollowUpDoc[] = rows.slice(0, limit).map((r) => r.doc);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit ? encodeCursor([last.dueOn, last.id]) : null };
  }
}
