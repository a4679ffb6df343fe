import { ComplaintEvent } from '@crm/engagement-domain';
import { ComplaintStreams } from './complaint-streams';
import { SlaDeadlineWatch, slaWatchSeconds } from './sla-deadline-watch';

const NOW = '2026-03-02T13:00:00.000Z';

describe('the SLA deadline watch', () => {
  it('sends RecordSlaBreaches as of the clock\'s reading to each complaint past a running deadline, and counts what was recorded', async () => {
    const asked: string[] = [];
    const sent: Array<{ complaintId: string; customerId: string; command: unknown; now: string }> = [];
    const queries = { pastDeadline: async (now: string) => { asked.push(now); return [{ complaintId: 'k-1', customerId: 'c-1' }, { complaintId: 'k-2', customerId: 'c-2' }]; } };
    const breached: ComplaintEvent = { type: 'ComplaintSlaBreached', schemaVersion: 1,
      data: { complaintId: 'k-1', customerId: 'c-1', clock: 'acknowledge', deadline: '2026-03-02T12:00:00.000Z', detectedAt: NOW } };
    const streams: Pick<ComplaintStreams, 'complaint'> = {
      complaint: async (complaintId, customerId, command, options) => {
        sent.push({ complaintId, customerId, command, now: options.now });
        // k-2 was breached by another replica already: the decider records nothing.
        return options.respond(complaintId === 'k-1' ? [breached] : [], 1);
      },
    };
    const clock = { now: () => ({ now: NOW, today: '2026-03-02' }) };
    const watch = new SlaDeadlineWatch(streams, queries, clock, { warn: () => undefined });
    expect(await watch.tick()).toBe(1);
    expect(asked).toEqual([NOW]);
    expect(sent).toEqual([
      { complaintId: 'k-1', customerId: 'c-1', command: { type: 'RecordSlaBreaches', data: { asOf: NOW } }, now: NOW },
      { complaintId: 'k-2', customerId: 'c-2', command: { type: 'RecordSlaBreaches', data: { asOf: NOW } }, now: NOW },
    ]);
  });

  it('runs every SLA_WATCH_SECONDS (60 by default, 0 off) and refuses anything else', () => {
    expect([slaWatchSeconds({}), slaWatchSeconds({ SLA_WATCH_SECONDS: '5' }), slaWatchSeconds({ SLA_WATCH_SECONDS: '0' })]).toEqual([60, 5, 0]);
    expect(() => slaWatchSeconds({ SLA_WATCH_SECONDS: 'soon' })).toThrow(/SLA_WATCH_SECONDS/);
  });
});
