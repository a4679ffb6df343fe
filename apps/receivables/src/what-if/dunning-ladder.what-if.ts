import { randomUUID } from 'node:crypto';
import { RecordedEvent, StoredEvent } from '@crm/eventing';
import { WhatIfPolicyError, WhatIfScenario, WhatIfTally } from '@crm/platform';
import { AccountEvent, ClosedDay, DunningLadder, RecordedAccountEvent, replayUnderLadder } from '@crm/receivables-domain';
import { Pool } from 'pg';

const CALENDAR_STREAM = 'receivables-business-days';

/** `{ "dunningLadder": [{ "level": 1, "fromDays": 1, "action": "reminder_email" }, …] }`: levels 1… in order, days rising. */
export function parseDunningLadder(json: unknown): DunningLadder {
  const ladder = (json as { dunningLadder?: unknown } | null)?.dunningLadder;
  if (!Array.isArray(ladder) || ladder.length === 0 || ladder.length > 9) {
    throw new WhatIfPolicyError([{ field: 'dunningLadder', message: 'must be an array of 1–9 steps { level, fromDays, action }' }]);
  }
  const problems: Array<{ field: string; message: string }> = [];
  ladder.forEach((step: any, i) => {
    const field = `dunningLadder[${i}]`;
    if (step?.level !== i + 1) problems.push({ field: `${field}.level`, message: `must be ${i + 1} (levels count up from 1)` });
    if (!Number.isInteger(step?.fromDays) || step.fromDays < 1 || step.fromDays > 3650) problems.push({ field: `${field}.fromDays`, message: 'must be an integer of days past due, 1–3650' });
    else if (i > 0 && Number.isInteger(ladder[i - 1]?.fromDays) && step.fromDays <= ladder[i - 1].fromDays) problems.push({ field: `${field}.fromDays`, message: 'must be later than the step before' });
    if (typeof step?.action !== 'string' || !/^[a-z][a-z0-9_]{0,49}$/.test(step.action)) problems.push({ field: `${field}.action`, message: 'must be a snake_case action name' });
  });
  if (problems.length > 0) throw new WhatIfPolicyError(problems);
  return ladder.map((s: any) => ({ level: s.level, fromDays: s.fromDays, action: s.action }));
}

/**
 * Receivables' dunning ladder, what-if: every account's facts kept, its day closes decided
 * again under the file's ladder, into the collection read model (receivable-invoices).
 */
export const dunningLadderWhatIf: WhatIfScenario<DunningLadder, ClosedDay[], AccountEvent> = {
  projection: 'receivable-invoices',
  policyShape: '{ "dunningLadder": [{ "level": 1, "fromDays": 1, "action": "reminder_email" }, …] }',
  parsePolicy: parseDunningLadder,
  streamPrefix: 'account-',
  async prepare(pool: Pool) {
    // One row per closed date (a few thousand over years): the calendar the closes replay on.
    const { rows } = await pool.query(
      `SELECT data->>'businessDate' AS date, global_position FROM events WHERE stream_id = $1 AND event_type = 'BusinessDayClosed' ORDER BY 1`, [CALENDAR_STREAM]);
    return rows.map((r) => ({ businessDate: r.date, globalPosition: Number(r.global_position) }));
  },
  replay(events: Array<StoredEvent<AccountEvent>>, ladder, closes) {
    const account = events.map((e): RecordedAccountEvent => ({
      ...e, id: e.id, globalPosition: Number(e.globalPosition), byClose: e.metadata.command === 'CloseDay', causationId: e.metadata.causationId,
    }));
    const byId = new Map(events.map((e) => [e.id, e]));
    let version = 0;
    return replayUnderLadder(account, closes, ladder).map((step): RecordedEvent => {
      version += 1;
      if (step.kind === 'recorded') {
        const kept = byId.get(step.event.id)!;
        return { ...kept, data: { ...kept.data }, streamVersion: version };
      }
      // Where the live close recorded something here, its time and actor; else the closed date, by the what-if.
      const live = step.live && byId.get(step.live.id);
      const first = events[0];
      const at = `${step.closedDate}T00:00:00.000Z`;
      return {
        id: randomUUID(), type: step.event.type, schemaVersion: step.event.schemaVersion, data: { ...step.event.data },
        occurredAt: live?.occurredAt ?? at, recordedAt: live?.recordedAt ?? at, streamId: first.streamId, streamVersion: version,
        partitionKey: first.partitionKey, globalPosition: '0', transactionId: '0', hash: '',
        metadata: live?.metadata ?? { actor: { id: 'audit:what-if', roles: [] }, correlationId: 'what-if', causationId: 'what-if', command: 'CloseDay' },
      };
    });
  },
  tally: dunningTally,
};

type DunningDoc = { dunning?: Array<{ on: string; level: number }> } | null;

/** Differences in dunning between live and what-if invoices: steps not (or newly) recorded, per level, final levels. */
export function dunningTally(): WhatIfTally {
  const perLevel = new Map<number, { live: number; whatIf: number }>();
  const c = { lower: 0, higher: 0, datesOnly: 0, otherFields: 0, stepsNotRecorded: 0, stepsAdded: 0 };
  return {
    add(live: DunningDoc, whatIf: DunningDoc) {
      const a = live?.dunning ?? [];
      const b = whatIf?.dunning ?? [];
      const top = (steps: typeof a) => steps.reduce((m, s) => Math.max(m, s.level), 0);
      if (top(a) > top(b)) c.lower += 1;
      else if (top(a) < top(b)) c.higher += 1;
      else if (JSON.stringify(a) !== JSON.stringify(b)) c.datesOnly += 1;
      else c.otherFields += 1;
      const counts = new Map<number, { live: number; whatIf: number }>();
      a.forEach((s) => counts.set(s.level, { live: (counts.get(s.level)?.live ?? 0) + 1, whatIf: counts.get(s.level)?.whatIf ?? 0 }));
      b.forEach((s) => counts.set(s.level, { live: counts.get(s.level)?.live ?? 0, whatIf: (counts.get(s.level)?.whatIf ?? 0) + 1 }));
      for (const [level, n] of counts) {
        c.stepsNotRecorded += Math.max(0, n.live - n.whatIf);
        c.stepsAdded += Math.max(0, n.whatIf - n.live);
        const total = perLevel.get(level) ?? { live: 0, whatIf: 0 };
        perLevel.set(level, { live: total.live + n.live, whatIf: total.whatIf + n.whatIf });
      }
    },
    lines() {
      const levels = [...perLevel.entries()].sort(([x], [y]) => x - y).filter(([, n]) => n.live !== n.whatIf)
        .map(([level, n]) => `level ${level}: ${n.live} → ${n.whatIf}`);
      return [
        `${c.stepsNotRecorded} dunning steps that would not have been recorded, ${c.stepsAdded} that would have been recorded in addition`,
        `${c.lower} invoices would have ended at a lower dunning level, ${c.higher} at a higher one, ${c.datesOnly} at the same level on other dates`,
        ...(levels.length ? [`steps per level among them (live → what-if): ${levels.join(', ')}`] : []),
        ...(c.otherFields ? [`${c.otherFields} invoices differ in other fields only`] : []),
      ];
    },
    counts: () => ({ ...c }),
  };
}
