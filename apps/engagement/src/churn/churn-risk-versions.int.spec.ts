import { randomUUID } from 'node:crypto';
import { cloudEventSource, EventEnvelope } from '@crm/contracts';
import { ChurnRiskDoc } from '@crm/engagement-domain';
import { companionTableName, documentsAsOf, DocumentProjectionHandler, envelopeOfRecorded, PostgresEventStore, projectionTableDdl } from '@crm/eventing';
import { applyProjectionBatches, envelopeOf, freshEventingDatabase, TestDatabase } from '@crm/testing';
import { churnRiskProjection } from './churn-risk.projection';
import { churnRiskView, ChurnRiskQueries } from './churn-risk.queries';

/**
 * The churn-risk list as of an instant, from the versions companion on real PostgreSQL: churn
 * events appended to the real event store (its clock records them), fed to the projection's
 * handler as its consumer would get them; at each moment the live list is read page by page,
 * and afterwards each moment's `asOf` pages must be those pages — and what folding the log
 * recorded by then gives (the former implementation).
 */
describe('churn-risk list as of an instant, from dated versions (real PostgreSQL)', () => {
  const projection = churnRiskProjection('spec.');
  const source = cloudEventSource('engagement');
  const tablesOf = (documents: string) => ({ documents, versions: companionTableName(documents, 'versions') });
  const [a, b, c, d, e] = Array.from({ length: 5 }, () => randomUUID());
  const customers = [a, b, c, d, e];
  const MIN_SCORE = 40;
  let db: TestDatabase;
  let store: PostgresEventStore;
  let queries: ChurnRiskQueries;
  /** Every event recorded so far, in log order. */
  const log: EventEnvelope[] = [];

  beforeAll(async () => {
    db = await freshEventingDatabase({ poolSize: 3 });
    store = new PostgresEventStore(db.pool);
    await db.pool.query(['churn_risk', 'one_by_one', 'whole'].map((t) => projectionTableDdl(projection, t)).join('\n'));
    queries = new ChurnRiskQueries(db.pool, store);
  });
  afterAll(async () => db?.drop());

  const inputs = (score: number) => ({ score, signals: [{ code: 'survey-low-csat', points: score, detail: 'csat 1' }], on: '2026-03-03', causedBy: null, policyVersion: 1 });
  const churn = (type: 'ChurnRiskScored' | 'ChurnRiskFlagged' | 'ChurnRiskCleared', customerId: string, score: number) => ({
    id: randomUUID(), type, schemaVersion: 1, occurredAt: '2026-03-03T08:00:00.000Z',
    data: { customerId, ...inputs(score), ...(type === 'ChurnRiskFlagged' ? { accountManager: 'am-li' } : {}) } });
  const followUp = (customerId: string, flagEventId: string) => ({ id: randomUUID(), type: 'FollowUpScheduled', schemaVersion: 1, occurredAt: '2026-03-03T09:00:00.000Z',
    data: { followUpId: randomUUID(), customerId, dueOn: '2026-03-06', reason: 'retention', accountManager: 'am-wang', source: { kind: 'retention', id: flagEventId, cadenceDays: null } } });
  type Appended = ReturnType<typeof churn> | ReturnType<typeof followUp>;

  /** Appends each customer's events (one transaction each, so one millisecond may hold several) and gives them to the live model as one batch. */
  async function step(events: Appended[]) {
    for (const customerId of new Set(events.map((ev) => ev.data.customerId))) {
      await store.append(`churn-${customerId}`, 'any', events.filter((ev) => ev.data.customerId === customerId),
        { partitionKey: customerId, metadata: { actor: { id: 'spec', roles: [] }, correlationId: 'c', causationId: 'c' } });
    }
    const seen = new Set(log.map((ev) => ev.id));
    const recorded = (await store.readPartitionsRecordedBy(customers, '9999-12-31T00:00:00.000Z'))
      .filter((r) => !seen.has(r.id)).sort((x, y) => Number(x.globalPosition) - Number(y.globalPosition)).map((r) => envelopeOfRecorded(r, source));
    log.push(...recorded);
    await handle(tablesOf('churn_risk'), [recorded]);
  }
  async function handle(tables: Record<string, string>, batches: EventEnvelope[][]) {
    await applyProjectionBatches(db.pool, projection, tables, batches);
  }

  type Page = Awaited<ReturnType<ChurnRiskQueries['list']>>;
  /** Every page of a list, two rows a page, following nextCursor. */
  async function pages(read: (cursor: string | undefined) => Promise<Page>): Promise<Page[]> {
    const all: Page[] = [];
    let cursor: string | undefined;
    do {
      const page = await read(cursor);
      all.push(page);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }
  const pause = () => new Promise((r) => setTimeout(r, 5));
  /** An instant after everything recorded so far and before what comes next, with the live list's pages then. */
  const moments: Array<{ at: string; pages: Page[] }> = [];
  async function moment() {
    await pause();
    moments.push({ at: new Date().toISOString(), pages: await pages((cursor) => queries.list(MIN_SCORE, cursor, 2)) });
    await pause();
  }

  it('answers each recorded instant, page by page, as the live list answered then and as the fold of the log recorded by then', async () => {
    await moment();
    await step([churn('ChurnRiskScored', a, 50), churn('ChurnRiskScored', b, 30), churn('ChurnRiskScored', c, 70), churn('ChurnRiskScored', d, 45)]);
    await moment();
    // b crosses the minimum score, c falls from first to last, a is flagged.
    await step([churn('ChurnRiskScored', b, 55), churn('ChurnRiskScored', c, 41), churn('ChurnRiskFlagged', a, 60)]);
    await moment();
    // a is cleared below the minimum, e arrives first (flagged), d is rescored alike, b moves twice in one transaction.
    const flagOfE = churn('ChurnRiskFlagged', e, 90);
    await step([churn('ChurnRiskCleared', a, 20), flagOfE, churn('ChurnRiskScored', d, 45),
      churn('ChurnRiskScored', b, 35), churn('ChurnRiskScored', b, 80)]);
    await moment();
    // The retention follow-up of e's flag changes e's document but not its score; one of another flag changes nothing.
    await step([followUp(e, flagOfE.id), followUp(c, randomUUID())]);
    await moment();

    const order = (m: { pages: Page[] }) => m.pages.flatMap((p) => p.items.map((i) => [i.customerId, i.score]));
    expect(order(moments[0])).toEqual([]);
    expect(order(moments[1])).toEqual([[c, 70], [a, 50], [d, 45]]);
    expect(order(moments[2])).toEqual([[a, 60], [b, 55], [d, 45], [c, 41]]);
    expect(order(moments[3])).toEqual([[e, 90], [b, 80], [d, 45], [c, 41]]);
    for (const { at, pages: then } of moments) {
      expect({ at, pages: await pages((cursor) => queries.listAsOf(MIN_SCORE, cursor, 2, at)) }).toEqual({ at, pages: then });
      // The former answer: every customer's events recorded by then, folded.
      const folded = [...(await documentsAsOf(store, projection, customers, at, source)).values()]
        .filter((doc: ChurnRiskDoc) => doc.score >= MIN_SCORE).sort((x, y) => y.score - x.score || (x.customerId < y.customerId ? -1 : 1));
      expect({ at, items: (await queries.listAsOf(MIN_SCORE, undefined, 50, at)).items }).toEqual({ at, items: folded.map(churnRiskView) });
    }
    expect(moments[4].pages[0].items[0].task).toMatchObject({ status: 'scheduled' });
    expect(moments[3].pages[0].items[0].task).toMatchObject({ status: 'requested' });
    // One version per change and millisecond: e's follow-up made one, the follow-up of another flag none.
    const { rows } = await db.pool.query(`SELECT customer_id, count(*)::int AS n FROM ${tablesOf('churn_risk').versions} GROUP BY customer_id`);
    const millisecondsOfB = new Set(log.filter((ev) => ev.subject === b || (ev.data as { customerId: string }).customerId === b).map((ev) => ev.recordedAt)).size;
    expect(Object.fromEntries(rows.map((r) => [r.customer_id, r.n]))).toEqual({ [a]: 3, [b]: millisecondsOfB, [c]: 2, [d]: 2, [e]: 2 });
  });

  it('refuses a cursor it did not make, and answers nothing before the first score', async () => {
    await expect(queries.listAsOf(0, 'bm9wZQ', 2, moments[1].at)).rejects.toMatchObject({ errors: [{ field: 'cursor' }] });
    expect(await queries.listAsOf(0, undefined, 2, '2020-01-01T00:00:00.000Z')).toEqual({ items: [], nextCursor: null });
  });

  it('keeps the same versions whatever the batch boundaries (a rebuild reads other batches than the live consumer)', async () => {
    await handle(tablesOf('one_by_one'), log.map((ev) => [ev]));
    await handle(tablesOf('whole'), [log]);
    const rowsOf = async (table: string) => (await db.pool.query(`SELECT * FROM ${table} ORDER BY customer_id, valid_from`)).rows;
    const live = await rowsOf(tablesOf('churn_risk').versions);
    expect(live.length).toBeGreaterThan(10);
    expect(await rowsOf(tablesOf('one_by_one').versions)).toEqual(live);
    expect(await rowsOf(tablesOf('whole').versions)).toEqual(live);
  });

  it('still passes by the events of engagement\'s topic that touch no churn-risk document', () => {
    const handler = new DocumentProjectionHandler(projection);
    expect(handler.relevant(envelopeOf({ type: 'LoyaltyPointsEarned', data: { customerId: a, points: 5 } }))).toBe(false);
    expect(handler.relevant(log[0])).toBe(true);
  });
});
