import { Inject, Injectable } from '@nestjs/common';
import { ComplaintDoc, SatisfactionDoc, satisfactionView, SatisfactionSegment } from '@crm/engagement-domain';
import { PG_POOL, ValidationProblem } from '@crm/platform';
import { Pool } from 'pg';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const encodeCursor = (key: [string, string]) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** A keyset cursor (raisedAt, id) checked strictly, so nothing a client makes up reaches SQL. */
function decodeCursor(cursor: string | undefined): [string, string] | null {
  if (!cursor) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(key) && key.length === 2 && typeof key[0] === 'string' && INSTANT.test(key[0]) && typeof key[1] === 'string' && UUID.test(key[1])) {
      return key as [string, string];
    }
  } catch {
    // falls through to the 400
  }
  throw new ValidationProblem([{ field: 'cursor', messages: ['cursor must be a nextCursor this API returned'] }]);
}

export interface ComplaintFilter { customerId?: string; status?: string; slaBreached?: boolean; cursor?: string; limit: number }

/** Complaints' and satisfaction's read models and what the API and the deadline watch ask them. */
@Injectable()
export class ComplaintQueries {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Oldest first, by (raisedAt, id) keyset pages. */
  async complaints({ customerId, status, slaBreached, cursor, limit }: ComplaintFilter) {
    const after = decodeCursor(cursor);
    const { rows } = await this.pool.query(
      `SELECT doc FROM engagement_complaints
        WHERE ($1::text IS NULL OR customer_id = $1) AND ($2::text IS NULL OR status = $2) AND ($3::boolean IS NULL OR sla_breached = $3)
          AND ($4::text IS NULL OR (raised_at, id) > ($4, $5))
        ORDER BY raised_at, id LIMIT $6`,
      [customerId ?? null, status ?? null, slaBreached ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1]);
    const items: ComplaintDoc[] = rows.slice(0, limit).map((r) => r.doc);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit ? encodeCursor([last.raisedAt, last.id]) : null };
  }

  /** Complaints with a running SLA deadline before `now`, earliest first (the partial index on next_deadline). */
  async pastDeadline(now: string, limit: number): Promise<Array<{ complaintId: string; customerId: string }>> {
    const { rows } = await this.pool.query(
      `SELECT id, customer_id FROM engagement_complaints WHERE next_deadline IS NOT NULL AND next_deadline < $1 ORDER BY next_deadline LIMIT $2`,
      [now, limit]);
    return rows.map((r) => ({ complaintId: r.id, customerId: r.customer_id }));
  }

  async tierOf(customerId: string): Promise<string | null> {
    const { rows } = await this.pool.query('SELECT doc FROM engagement_survey_customer_tiers WHERE id = $1', [customerId]);
    // A known customer with no tier change yet is a Member (the tier of nothing paid).
    return rows[0]?.doc.tier ?? 'Member';
  }

  /** One month, as a whole or per value of a segment: read from the counters, a row per value. */
  async satisfaction(month: string, segment: SatisfactionSegment | undefined) {
    const { rows } = await this.pool.query(
      'SELECT doc FROM engagement_satisfaction WHERE month = $1 AND segment = $2 ORDER BY id', [month, segment ?? 'all']);
    const items = rows.map((r) => satisfactionView(r.doc as SatisfactionDoc));
    if (!segment) {
      const total = items[0] ?? { responses: 0, csat: { average: null, responses: 0 }, nps: { score: null, responses: 0, promoters: 0, passives: 0, detractors: 0 } };
      return { month, segment: null, responses: total.responses, csat: total.csat, nps: total.nps };
    }
    return { month, segment, items };
  }
}
