import { envelopeOf } from '@crm/testing';
import { DecodedMessage } from './decoded-message';
import { LogOrderWatch } from './log-order-watch';

const message = (offset: number, position: string | null, id: string, partition = 0): DecodedMessage => ({
  message: { topic: 't', partition, offset: String(offset), key: 'k', value: null, headers: position ? { ce_logposition: position } : {} },
  event: envelopeOf({ type: 'Counted', data: {} }, { id }),
});

describe('LogOrderWatch', () => {
  it('names a first copy behind a higher position, not a repeat the inbox knew, nor an unpositioned message', () => {
    const watch = new LogOrderWatch();
    const batch = [message(0, '7.1', 'a'), message(1, '7.3', 'c'), message(2, '7.2', 'b'), message(3, '7.1', 'a'), message(4, null, 'x')];
    // The inbox found a, c, b and x new; the second copy of a was a repeat.
    const late = watch.lateFirstCopies(batch, new Set(['a', 'c', 'b', 'x']));
    expect(late.map((l) => [l.eventId, l.offset, `${l.position.transactionId}.${l.position.globalPosition}`, `${l.behind.transactionId}.${l.behind.globalPosition}`]))
      .toEqual([['b', '2', '7.2', '7.3']]);
  });

  it('compares with what committed batches of the partition saw, and only once they committed', () => {
    const watch = new LogOrderWatch();
    const first = [message(0, '9.5', 'e')];
    expect(watch.lateFirstCopies(first, new Set(['e']))).toEqual([]);
    // Not committed (a retried batch): the next look at the partition starts afresh.
    expect(watch.lateFirstCopies([message(1, '9.4', 'd')], new Set(['d']))).toEqual([]);
    watch.committed(first);
    expect(watch.lateFirstCopies([message(1, '9.4', 'd')], new Set(['d'])).map((l) => l.eventId)).toEqual(['d']);
    // Another partition keeps its own order; a later transaction is after any position of an earlier one.
    expect(watch.lateFirstCopies([message(0, '9.1', 'f', 1)], new Set(['f']))).toEqual([]);
    expect(watch.lateFirstCopies([message(2, '10.1', 'g')], new Set(['g']))).toEqual([]);
  });
});
