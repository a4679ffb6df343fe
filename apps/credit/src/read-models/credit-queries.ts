import { Inject, Injectable } from '@nestjs/common';
import { domainError } from '@crm/contracts';
import { CreditDecisionDoc, CreditPositionDoc, creditPositionView, creditSideAsOf, LimitRequestDoc } from '@crm/credit-domain';
import { PG_POOL, ValidationProblem } from '@crm/platform';
import { Pool } from 'pg';

export type WatchReason = 'on-hold' | 'utilization' | 'review-due';

/** Opaque keyset cursor: the last key of the previous page. */
export const encodeCursor = (key: string[]) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** What each part of a cursor's key must be: checked strictly, so nothing a client makes up reaches SQL. */
export type CursorPart = (part: string) => boolean;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const cursorUuid: CursorPart = (part) => UUID.test(part);
/** A stream version: a positive integer written in digits, within PostgreSQL's integer. */
export const cursorStreamVersion: CursorPart = (part) => /^[1-9]\d{0,9}$/.test(part) && Number(part) <= 2_147_483_647;
/** An instant as the read models record it (an event's time, ISO 8601 in UTC). */
export const cursorInstant: CursorPart = (part) =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/.test(part) && !Number.isNaN(Date.parse(part));

export function decodeCursor(cursor: string | undefined, parts: CursorPart[]): string[] | null {
  if (!cursor) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(key) && key.length === parts.length
      && key.every((k, i) => typeof k === 'string' && !k.includes('\u0000') && parts[i](k))) return key as string[];
  } catch {
    // falls through to the 400
  }
  throw new ValidationProblem([{ field: 'cursor', messages: ['cursor must be a nextCursor this API returned'] }]);
}

/** Credit's read models (Kafka-fed projections) and the questions the API asks them. */
@Injectable()
export class CreditQueries {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async isKnown(customerId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM known_customers WHERE id = $1', [customerId]);
    return (rowCount ?? 0) > 0;
  }

  /** The position now, or as recorded at an instant: credit's side from its history, exposure summed from receivables' changes. */
  async position(customerId: string, asOf?: string) {
    const { rows } = await this.pool.query('SELECT doc FROM credit_positions WHERE id = $1', [customerId]);
    const doc: CreditPositionDoc | undefined = rows[0]?.doc;
    if (!doc) throw domainError('customer-not-found', 'not-found', `credit knows no customer ${customerId}`);
    if (!asOf) return creditPositionView(customerId, doc.credit, doc.exposure);
    const instant = new Date(asOf).toISOString();
    const changes = await this.pool.query(
      `SELECT c->>'currency' AS currency, sum((c->>'amount')::bigint)::text AS amount
         FROM credit_exposure_changes, jsonb_array_elements(doc->'changes') c
        WHERE customer_id = $1 AND at <= $2 GROUP BY 1`, [customerId, instant]);
    const exposure = Object.fromEntries(changes.rows.map((r) => [r.currency, Number(r.amount)]));
    return { ...creditPositionView(customerId, creditSideAsOf(doc, instant), exposure), asOf: instant };
  }

  async decisions(customerId: string, cursor: string | undefined, limit: number) {
    const after = decodeCursor(cursor, [cursorStreamVersion]);
    const { rows } = await this.pool.query(
      `SELECT doc, stream_version FROM credit_decisions WHERE customer_id = $1 AND ($2::int IS NULL OR stream_version > $2::int)
        ORDER BY stream_version, id LIMIT $3`, [customerId, after ? Number(after[0]) : null, limit + 1]);
    const items: CreditDecisionDoc[] = rows.slice(0, limit).map((r) => r.doc);
    return { items, nextCursor: rows.length > limit ? encodeCursor([String(items[items.length - 1].streamVersion)]) : null };
  }

  async limitRequests(statuses: string[], customerId: string | undefined, cursor: string | undefined, limit: number) {
    const after = decodeCursor(cursor, [cursorInstant, cursorUuid]);
    const { rows } = await this.pool.query(
      `SELECT doc FROM credit_limit_requests WHERE status = ANY($1) AND ($2::text IS NULL OR customer_id = $2)
          AND ($3::text IS NULL OR (requested_at, id) > ($3, $4))
        ORDER BY requested_at, id LIMIT $5`, [statuses, customerId ?? null, after?.[0] ?? null, after?.[1] ?? null, limit + 1]);
    const items: LimitRequestDoc[] = rows.slice(0, limit).map((r) => r.doc);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit ? encodeCursor([last.requestedAt, last.id]) : null };
  }

  /** On hold, above 90 % of the limit, or due (or late) for review; one row per customer with every reason that applies. */
  async watchlist(reason: WatchReason | undefined, today: string, cursor: string | undefined, limit: number) {
    const after = decodeCursor(cursor, [cursorUuid]);
    const conditions: Record<WatchReason, string> = {
      'on-hold': 'on_hold',
      utilization: 'utilization > 0.9',
      'review-due': '(review_due OR next_review_on <= $1)',
    };
    const where = reason ? conditions[reason] : `(${Object.values(conditions).join(' OR ')})`;
    const { rows } = await this.pool.query(
      `SELECT id, doc, on_hold, utilization > 0.9 AS high, (review_due OR next_review_on <= $1) AS review FROM credit_positions
        WHERE ${where} AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3`, [today, after?.[0] ?? null, limit + 1]);
    const items = rows.slice(0, limit).map((r) => {
      const doc: CreditPositionDoc = r.doc;
      const view = creditPositionView(r.id, doc.credit, doc.exposure);
      const reasons = [r.on_hold && 'on-hold', r.high && 'utilization', r.review && 'review-due'].filter(Boolean);
      return {
        customerId: r.id, reasons, onHold: view.onHold, holdCauses: view.holdCauses, utilization: doc.utilization,
        limit: view.limit, exposure: view.exposure, currency: view.currency, available: view.available,
        nextReviewOn: view.nextReviewOn, reviewDue: view.reviewDue || Boolean(view.nextReviewOn && view.nextReviewOn <= today),
      };
    });
    return { items, nextCursor: rows.length > limit ? encodeCursor([items[items.length - 1].customerId]) : null };
  }
}
