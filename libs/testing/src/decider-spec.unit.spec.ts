import { Decider } from '@crm/contracts';
import { deciderSpec } from './decider-spec';

class Refused extends Error {
  constructor(readonly code: string, readonly field?: string) {
    super(`refused: ${code}`);
  }
}

type Command = { type: 'Add'; n: number };
type Event = { type: 'Added'; n: number };
/** Adds positive numbers; adding zero changes nothing; a negative one is refused. */
const adder: Decider<number, Command, Event> = {
  initialState: () => 0,
  evolve: (sum, e) => sum + e.n,
  decide: ({ n }) => {
    if (n < 0) throw new Refused('negative', 'n');
    return n === 0 ? [] : [{ type: 'Added', n }];
  },
};
const spec = deciderSpec(adder);

describe('deciderSpec', () => {
  it('thenThrows(code) passes on the refusal with that code, and that field when named', () => {
    spec.given([]).when({ type: 'Add', n: -1 }).thenThrows('negative');
    spec.given([]).when({ type: 'Add', n: -1 }).thenThrows('negative', 'n');
  });

  it('thenThrows(code) fails on another code, another field, or no refusal at all', () => {
    expect(() => spec.given([]).when({ type: 'Add', n: -1 }).thenThrows('too-big')).toThrow(/too-big/);
    expect(() => spec.given([]).when({ type: 'Add', n: -1 }).thenThrows('negative', 'm')).toThrow();
    expect(() => spec.given([]).when({ type: 'Add', n: 2 }).thenThrows('negative')).toThrow(/decided \[\{"type":"Added","n":2\}\]/);
  });

  it('thenNothingHappened passes on no events and fails on any', () => {
    spec.given([]).when({ type: 'Add', n: 0 }).thenNothingHappened();
    expect(() => spec.given([]).when({ type: 'Add', n: 1 }).thenNothingHappened()).toThrow();
  });
});
