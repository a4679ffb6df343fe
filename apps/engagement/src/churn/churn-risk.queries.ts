import { Inject, Injectable } from '@nestjs/common';
import { cloudEventSource, domainError } from '@crm/contracts';
import { ChurnRiskDoc } from '@crm/engagement-domain';
import { documentAsOf, documentsAsOf, PostgresEventStore } from '@crm/eventing';
import { EVENT_STORE, PG_POOL, ValidationProblem } from '@crm/platform';
import { Pool } from 'pg';
import { churnRiskProjection } from './churn-risk.projection';

/** Customers folded per read of the log when a list is asked `asOf` (bounded memory: one batch and one page). */
const AS_OF_BATCH = 500;

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

/** The churn-risk read model: the riskiest first, in (score desc, customer id) keyset pages. */
@Injectable()
export class ChurnRiskQueries {
  constructor(@Inject(PG_POOL) private readonly pool: Pool, @Inject(EVENT_STORE) private readonly store: PostgresEventStore) {}

  async list(minScore: number, cursor: string | undefined, limit: number) {
    const after = decodeCursor(cursor);
    const { rows } = await this.pool.query(
      `SELECT doc FROM churn_risk WHERE score >= $1 AND ($2::int IS NULL OR score < $2 OR (score = $2 AND id > $3))
        ORDER BY score DESC, id LIMIT $4`, [minScore, after?.[0] ?? null, after?.[1] ?? null, limit + 1]);
    const items: ChurnRiskDoc[] = rows.slice(0, limit).map((r) => r.doc);
    const last = items[items.length - 1];
    return { items: items.map(churnRiskView), nextCursor: rows.length > limit ? encodeCursor([last.score, last.customerId]) : null };
  }

  /**
   * The list as recorded at an instant: every customer scored now (scores are never deleted, so
   * this covers everyone scored then) folded from its events recorded by then with the read
   * model's own evolve, in batches, keeping only the page after the cursor in (score desc, id)
   * order. It reads every scored customer's events once per page: an auditor's question, not a
   * dashboard's (ADR 29).
   */
  async listAsOf(minScore: number, cursor: string | undefined, limit: number, asOf: string) {
    const after = decodeCursor(cursor);
    const instant = new Date(asOf).toISOString();
    const before = (a: ChurnRiskDoc, b: ChurnRiskDoc) => b.score - a.score || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0);
    const afterCursor = (d: ChurnRiskDoc) => !after || d.score < after[0] || (d.score === after[0] && d.customerId > after[1]);
    let page: ChurnRiskDoc[] = [];
    let from = '';
    for (;;) {
      const { rows } = await this.pool.query('SELECT id FROM churn_risk WHERE id > $1 ORDER BY id LIMIT $2', [from, AS_OF_BATCH]);
      if (rows.length === 0) break;
      const docs = await documentsAsOf(this.store, churnRiskProjection(''), rows.map((r) => r.id), instant, cloudEventSource('engagement'));
      const candidates = [...docs.values()].filter((d) => d.score >= minScore && afterCursor(d));
      page = [...page, ...candidates].sort(before).slice(0, limit + 1);
      from = rows[rows.length - 1].id;
      if (rows.length < AS_OF_BATCH) break;
    }
    const items = page.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(churnRiskView), nextCursor: page.length > limit ? encodeCursor([last.score, last.customerId]) : null };
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
