import { Inject, Injectable } from '@nestjs/common';
import { cloudEventSource, domainError } from '@crm/contracts';
import { ChurnRiskDoc } from '@crm/engagement-domain';
import { companionTableName, documentAsOf, PostgresEventStore } from '@crm/eventing';
import { EVENT_STORE, PG_POOL, ValidationProblem } from '@crm/platform';
import { Pool } from 'pg';
import { churnRiskProjection } from './churn-risk.projection';

const encodeCursor = (key: [number, string]) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** A keyset cursor (score, customer id) checked strictly, so nothing a client makes up reaches SQL. */
function decodeCursor(cursor: string | undefined): [number, string] | null {
  if (!cursor) return null;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    if (Array.isArray(key) && key.length === 2 && Number.isInteger(key[0]) && key[0] >= 0 && key[0] <= 100
      && typeof key[1] === 'string' && /^[0-9a-f-]{36}$/i.test(key[1])) return key as [number, string];
  } catch {
    // falls through to the 400
  }
  throw new ValidationProblem([{ field: 'cursor', messages: ['cursor must be a nextCursor this API returned'] }]);
}

/** One page of documents read with one row more than `limit`: that row says a next page exists. */
function pageOf(docs: ChurnRiskDoc[], limit: number) {
  const items = docs.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(churnRiskView), nextCursor: docs.length > limit ? encodeCursor([last.score, last.customerId]) : null };
}

/** The churn-risk read model: the riskiest first, in (score desc, customer id) keyset pages. */
@Injectable()
export class ChurnRiskQueries {
  constructor(@Inject(PG_POOL) private readonly pool: Pool, @Inject(EVENT_STORE) private readonly store: PostgresEventStore) {}

  async list(minScore: number, cursor: string | undefined, limit: number) {
    const after = decodeCursor(cursor);
    // (-score, id) is one ascending key: the cursor is a bound of the index range (a page reads
    // its own rows however deep it is), where `score < s OR (score = s AND id > i)` was a filter.
    const { rows } = after
      ? await this.pool.query(
        `SELECT doc FROM churn_risk WHERE -score <= -$1::int AND (-score, id) > (-$2::int, $3::text)
          ORDER BY -score, id LIMIT $4`, [minScore, after[0], after[1], limit + 1])
      : await this.pool.query(
        'SELECT doc FROM churn_risk WHERE -score <= -$1::int ORDER BY -score, id LIMIT $2', [minScore, limit + 1]);
    return pageOf(rows.map((r) => r.doc), limit);
  }

  /**
   * The list as recorded at an instant, from the documents' dated versions (churn-risk-versions):
   * the versions valid then, in (score desc, id) keyset order after the cursor. The same answer
   * as folding every customer's events recorded by then (ADR 37, amended), read from one index
   * range: a page reads its own rows, not every scored customer's history.
   */
  async listAsOf(minScore: number, cursor: string | undefined, limit: number, asOf: string) {
    const after = decodeCursor(cursor);
    const { rows } = await this.pool.query(
      `SELECT doc FROM ${companionTableName('churn_risk', 'versions')}
        WHERE -score <= -$1::int AND ($2::int IS NULL OR (-score, customer_id) > (-$2::int, $3::text))
          AND valid_from <= $4::timestamptz AND valid_to > $4::timestamptz
        ORDER BY -score, customer_id LIMIT $5`, [minScore, after?.[0] ?? null, after?.[1] ?? null, new Date(asOf).toISOString(), limit + 1]);
    return pageOf(rows.map((r) => r.doc), limit);
  }

  /** `asOf`: the document as the events recorded by then made it (the read model's own fold), else the live row. */
  async one(customerId: string, asOf?: string) {
    const doc = asOf
      ? await documentAsOf(this.store, churnRiskProjection(''), customerId, new Date(asOf).toISOString(), cloudEventSource('engagement'))
      : (await this.pool.query('SELECT doc FROM churn_risk WHERE id = $1', [customerId])).rows[0]?.doc;
    if (!doc) throw domainError('churn-risk-not-found', 'not-found', `churn has not scored customer ${customerId}${asOf ? ` by ${asOf}` : ''}`);
    return { ...churnRiskView(doc), ...(asOf ? { asOf } : {}) };
  }
}

export function churnRiskView(doc: ChurnRiskDoc) {
  return {
    customerId: doc.customerId, score: doc.score, flagged: doc.flagged, signals: doc.signals, scoredOn: doc.on,
    policyVersion: doc.policyVersion, task: doc.task,
  };
}
