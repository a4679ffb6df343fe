import { Decider } from '@crm/contracts';

type ErrorClass = new (...args: any[]) => Error;

/**
 * given(events).when(command).then(events) — Emmett's specification style: a decider spec
 * reads as the business rule it checks.
 */
export function deciderSpec<S, C, E>(decider: Decider<S, C, E>) {
  return {
    given(history: E[]) {
      const state = history.reduce((s, e) => decider.evolve(s, e), decider.initialState());
      return {
        when(command: C) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: E[] | ((events: E[]) => void)) {
              const events = run();
              if (typeof expected === 'function') expected(events);
              else expect(events).toEqual(expected);
            },
            /** The command is accepted and changes nothing: no events (an idempotent repeat, say). */
            thenNothingHappened() {
              expect(run()).toEqual([]);
            },
            /**
             * The command is refused. A string is the domain error's stable `code` (what clients
             * branch on), optionally with the request `field` at fault; a class or a RegExp
             * (of the message) match as in jest's `toThrow`.
             */
            thenThrows(expected: string | ErrorClass | RegExp, field?: string) {
              if (typeof expected !== 'string') {
                expect(run).toThrow(expected);
                return;
              }
              const error = refusalOf(run, expected) as { code?: unknown; field?: unknown };
              expect(field === undefined ? { code: error.code } : { code: error.code, field: error.field })
                .toEqual(field === undefined ? { code: expected } : { code: expected, field });
            },
          };
        },
      };
    },
  };
}

function refusalOf(run: () => unknown, code: string): unknown {
  let events: unknown;
  try {
    events = run();
  } catch (error) {
    return error;
  }
  throw new Error(`expected a refusal with code ${code}, but the decider decided ${JSON.stringify(events)}`);
}
