import { churnRiskKey, evolveChurnRisk } from './churn-risk.read-model';
import { CUSTOMER, envelope } from './churn.fixtures';

const inputs = (score: number) => ({ score, signals: [{ code: 'complaint-past-sla', points: score, detail: 'd' }], on: '2026-03-03', causedBy: null, policyVersion: 2 });
const flag = () => envelope('ChurnRiskFlagged', { accountManager: 'am-li', ...inputs(60) });
const followUp = (sourceId: string, followUpId = 'f-1', reason = 'retention') => envelope('FollowUpScheduled', {
  followUpId, dueOn: '2026-03-06', reason, accountManager: 'am-wang', source: { kind: reason, id: sourceId, cadenceDays: null },
});

describe('the churn-risk read model', () => {
  it('keeps the score, signals and flag, and the retention follow-up of the flag as its task', () => {
    const flagged = flag();
    let doc = evolveChurnRisk(undefined, flagged)!;
    expect(doc).toMatchObject({ customerId: CUSTOMER, score: 60, flagged: true, policyVersion: 2,
      task: { flagEventId: flagged.id, status: 'requested', followUpId: null, accountManager: 'am-li' } });
    doc = evolveChurnRisk(doc, followUp('another-flag', 'f-0'))!;
    expect(doc.task).toMatchObject({ status: 'requested', followUpId: null });
    doc = evolveChurnRisk(doc, followUp(flagged.id))!;
    expect(doc.task).toMatchObject({ status: 'scheduled', followUpId: 'f-1', dueOn: '2026-03-06', accountManager: 'am-wang' });
    doc = evolveChurnRisk(doc, envelope('FollowUpCompleted', { followUpId: 'f-1', completedAt: '2026-03-05T10:00:00.000Z', completedBy: 'am-wang' }))!;
    expect(doc.task!.status).toBe('completed');
    doc = evolveChurnRisk(doc, envelope('ChurnRiskCleared', inputs(30)))!;
    expect(doc).toMatchObject({ score: 30, flagged: false, task: { status: 'completed' } });
  });

  it('ignores follow-ups that are not retention ones, and follow-up events of a customer churn never scored', () => {
    expect(churnRiskKey(followUp('x', 'f-2', 'contact-plan'))).toBeUndefined();
    expect(churnRiskKey(followUp('x'))).toBe(CUSTOMER);
    expect(evolveChurnRisk(undefined, followUp('x'))).toBeNull();
  });
});
