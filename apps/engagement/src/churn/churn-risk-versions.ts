import { EventEnvelope } from '@crm/contracts';
import { ChurnRiskDoc, churnRiskKey, ChurnRiskVersion, churnRiskVersions } from '@crm/engagement-domain';
import { CompanionBatch, CompanionTable } from '@crm/eventing';

/**
 * The churn-risk documents' history, kept beside them for `GET /v1/churn-risk?asOf=`: one row
 * per version of a customer's document, valid from the recorded time of the event that made it
 * (what the as-of fold of the log compares) until the next version's, `infinity` while current.
 * A null doc (and score) is a stretch with no document. `customer_id` is compared bytewise,
 * the order the list's cursor and the former in-memory fold used.
 */
export const CHURN_RISK_COMPANIONS: CompanionTable[] = [{
  name: 'versions',
  columns: ['customer_id text COLLATE "C" NOT NULL', 'valid_from timestamptz NOT NULL', `valid_to timestamptz NOT NULL DEFAULT 'infinity'`,
    'score integer', 'doc jsonb', 'PRIMARY KEY (customer_id, valid_from)'],
  // The list's keyset order with both validity bounds in the key: a page scans index entries
  // and reads only the rows it returns. An instant early in the history, when few versions
  // were valid, is read from the versions begun by then instead (few, by definition).
  indexes: ['((-score), customer_id, valid_from, valid_to)', '(valid_from)'],
}];

interface VersionRow { customer_id: string; valid_from: string; valid_to: string; score: number | null; doc: ChurnRiskDoc | null }

/** The batch's events by the customer whose document they touch (log order kept). */
function eventsByCustomer(events: EventEnvelope[]): Map<string, EventEnvelope[]> {
  const byCustomer = new Map<string, EventEnvelope[]>();
  for (const event of events) {
    const key = churnRiskKey(event);
    if (key === undefined) continue;
    const list = byCustomer.get(key);
    if (list) list.push(event);
    else byCustomer.set(key, [event]);
  }
  return byCustomer;
}

/**
 * Keeps the versions from a batch: each changed customer's versions continue from its current
 * row, whose `valid_to` the first new version closes; a new version of the current row's
 * millisecond replaces it. Versions depend only on the current row and the events, so batch
 * boundaries (a rebuild's) give the same rows.
 */
export async function applyChurnRiskVersions({ tx, events, changed, tables }: CompanionBatch<ChurnRiskDoc>): Promise<void> {
  const ids = [...changed.keys()].sort();
  if (ids.length === 0) return;
  const { rows } = await tx.query(`SELECT customer_id, valid_from, doc FROM ${tables.versions} WHERE customer_id = ANY($1) AND valid_to = 'infinity'`, [ids]);
  const current = new Map<string, ChurnRiskVersion>(rows.map((r) => [r.customer_id, { validFrom: r.valid_from.toISOString(), doc: r.doc }]));
  const byCustomer = eventsByCustomer(events);
  const fresh: VersionRow[] = ids.flatMap((id) => {
    const versions = churnRiskVersions(current.get(id), byCustomer.get(id) ?? [], id);
    return versions.map((v, i) => ({ customer_id: id, valid_from: v.validFrom, valid_to: versions[i + 1]?.validFrom ?? 'infinity', score: v.doc?.score ?? null, doc: v.doc }));
  });
  if (fresh.length === 0) return;
  await tx.query(
    `WITH fresh AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(customer_id text, valid_from timestamptz, valid_to timestamptz, score integer, doc jsonb)),
      closed AS (UPDATE ${tables.versions} v SET valid_to = f.valid_from
        FROM (SELECT customer_id, min(valid_from) AS valid_from FROM fresh GROUP BY customer_id) f
       WHERE v.customer_id = f.customer_id AND v.valid_to = 'infinity' AND v.valid_from < f.valid_from)
     INSERT INTO ${tables.versions} (customer_id, valid_from, valid_to, score, doc) SELECT * FROM fresh ORDER BY customer_id, valid_from
     ON CONFLICT (customer_id, valid_from) DO UPDATE SET valid_to = EXCLUDED.valid_to, score = EXCLUDED.score, doc = EXCLUDED.doc`,
    [JSON.stringify(fresh)]);
}
