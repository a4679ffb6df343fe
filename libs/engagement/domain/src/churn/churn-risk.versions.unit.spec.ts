import { EventEnvelope } from '@crm/contracts';
import { churnRiskVersions } from './churn-risk.versions';
import { CUSTOMER, envelope } from './churn.fixtures';

const at = (event: EventEnvelope, recordedAt: string): EventEnvelope => ({ ...event, recordedAt });
const scored = (score: number, recordedAt: string) => at(envelope('ChurnRiskScored', {
  score, signals: [], on: '2026-03-03', causedBy: null, policyVersion: 1 }), recordedAt);
const flagged = (score: number, recordedAt: string) => at(envelope('ChurnRiskFlagged', {
  score, signals: [], on: '2026-03-03', causedBy: null, policyVersion: 1, accountManager: 'am-li' }), recordedAt);
const unrelatedFollowUp = (recordedAt: string) => at(envelope('FollowUpScheduled', {
  followUpId: 'f-9', dueOn: '2026-03-06', reason: 'retention', accountManager: 'am-wang', source: { kind: 'retention', id: 'another-flag', cadenceDays: null } }), recordedAt);

describe('churn-risk versions', () => {
  const log = [scored(10, '2026-03-03T10:00:00.000Z'), unrelatedFollowUp('2026-03-03T10:30:00.000Z'), flagged(60, '2026-03-03T11:00:00.000Z'),
    scored(65, '2026-03-03T11:00:00.000Z'), scored(20, '2026-03-04T09:00:00.000Z')];

  it('makes one version per change, at the recorded time, one per millisecond, none for an event that changes nothing', () => {
    expect(churnRiskVersions(undefined, log, CUSTOMER).map((v) => [v.validFrom, v.doc?.score, v.doc?.flagged])).toEqual([
      ['2026-03-03T10:00:00.000Z', 10, false], ['2026-03-03T11:00:00.000Z', 65, true], ['2026-03-04T09:00:00.000Z', 20, true]]);
  });

  it('gives the same versions whatever the batches, and leaves the version it continues from as it was', () => {
    const whole = churnRiskVersions(undefined, log, CUSTOMER);
    for (let split = 1; split < log.length; split += 1) {
      const first = churnRiskVersions(undefined, log.slice(0, split), CUSTOMER);
      const before = structuredClone(first);
      const second = churnRiskVersions(first.at(-1), log.slice(split), CUSTOMER);
      expect(first).toEqual(before);
      // A version of the same millisecond as the one continued replaces it (an upsert of that row).
      const merged = second[0]?.validFrom === first.at(-1)?.validFrom ? [...first.slice(0, -1), ...second] : [...first, ...second];
      expect({ split, versions: merged }).toEqual({ split, versions: whole });
    }
  });

  it('never starts a version before the one it follows, and ignores other customers\' events', () => {
    const late = [scored(10, '2026-03-03T10:00:00.000Z'), scored(30, '2026-03-03T09:59:59.999Z')];
    expect(churnRiskVersions(undefined, late, CUSTOMER).map((v) => [v.validFrom, v.doc?.score])).toEqual([['2026-03-03T10:00:00.000Z', 30]]);
    expect(churnRiskVersions(undefined, log, 'someone-else')).toEqual([]);
  });
});
