import { accountDecider } from '../account/account.decider';
import { AccountEvent } from '../account/account.events';
import { AccountState } from '../account/account.state';
import { CUSTOMER, INV_A, INV_B, issued } from '../account/account.fixtures';
import { DUNNING_LADDER } from '../receivables-policy';
import { ClosedDay, RecordedAccountEvent, replayUnderLadder } from './dunning-what-if';

/**
 * A history recorded by the real decider under the live ladder: two invoices, day closes
 * (each a BusinessDayClosed at its log position, then the account's close), a payment between.
 */
function liveHistory() {
  let state: AccountState = accountDecider.initialState();
  const events: RecordedAccountEvent[] = [];
  const closes: ClosedDay[] = [];
  let position = 0;
  let command = 0;
  const record = (recorded: AccountEvent[], byClose: boolean) => {
    command += 1;
    for (const e of recorded) {
      state = accountDecider.evolve(state, e);
      events.push({ ...e, id: `event-${position + 1}`, globalPosition: (position += 1), byClose, causationId: `cmd-${command}` });
    }
  };
  const close = (businessDate: string) => {
    closes.push({ businessDate, globalPosition: (position += 1) });
    record(accountDecider.decide({ type: 'CloseDay', data: { businessDate } }, state), true);
  };
  record([issued(INV_A, 100_000, '2026-01-01'), issued(INV_B, 50_000, '2026-01-10')], false);
  close('2026-02-05');
  close('2026-02-20');
  record([{ type: 'PaymentReceived', schemaVersion: 1, data: { paymentId: 'p1', customerId: CUSTOMER, amount: 50_000, currency: 'CNY', receivedOn: '2026-02-21',
    method: 'cash', reference: 'R', allocations: [{ invoiceId: INV_B, amount: 50_000, discount: 0, kind: 'payment' }], unapplied: 0 } } as AccountEvent], false);
  close('2026-03-10');
  close('2026-04-15');
  return { events, closes };
}

const levels = (steps: ReturnType<typeof replayUnderLadder>) =>
  steps.filter((s) => s.event.type === 'DunningLevelRaised').map((s) => [(s.event.data as any).invoiceId, (s.event.data as any).level, (s.event.data as any).businessDate]);

describe('replayUnderLadder (what-if of the dunning ladder)', () => {
  it('decides under the live ladder exactly what the live closes recorded', () => {
    const { events, closes } = liveHistory();
    const steps = replayUnderLadder(events, closes, DUNNING_LADDER);
    const strip = (e: AccountEvent) => ({ type: e.type, data: e.data });
    expect(steps.map((s) => strip(s.event))).toEqual(events.map(strip));
    expect(levels(steps).length).toBeGreaterThanOrEqual(4);
  });

  it('under a slower ladder records fewer and later steps, and keeps every fact as recorded', () => {
    const { events, closes } = liveHistory();
    const slower = [{ level: 1, fromDays: 30, action: 'reminder_email' }, { level: 2, fromDays: 60, action: 'collector_call' }];
    const steps = replayUnderLadder(events, closes, slower);
    // One level per close, dated the close that raised it (A is 30 days past due on 03-02, closed 03-10).
    expect(levels(steps)).toEqual([[INV_A, 1, '2026-03-10'], [INV_A, 2, '2026-04-15']]);
    expect(steps.filter((s) => s.kind === 'recorded').map((s) => s.event.type)).toEqual(['InvoiceIssued', 'InvoiceIssued', 'PaymentReceived']);
    expect(steps.filter((s) => s.event.type === 'InvoiceBecameOverdue')).toHaveLength(2);
  });

  it('under a faster ladder records steps on closes that recorded nothing live', () => {
    const { events, closes } = liveHistory();
    const quiet = events.filter((e) => !(e.byClose && (e.data as any).businessDate > '2026-03-10'));
    const faster = [{ level: 1, fromDays: 1, action: 'reminder_email' }, { level: 2, fromDays: 2, action: 'collector_call' }, { level: 3, fromDays: 3, action: 'letter' },
      { level: 4, fromDays: 4, action: 'final_notice' }, { level: 5, fromDays: 5, action: 'legal_referral' }, { level: 6, fromDays: 6, action: 'agency' }];
    const steps = replayUnderLadder(quiet, closes, faster);
    expect(levels(steps).filter(([invoice]) => invoice === INV_A).map(([, level]) => level)).toEqual([1, 2, 3, 4]); // four closes, one level each
  });
});
