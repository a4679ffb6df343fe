import { Decider } from '@crm/contracts';

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
            thenThrows(matcher: (new (...args: any[]) => Error) | RegExp | string) {
              expect(run).toThrow(matcher as any);
            },
          };
        },
      };
    },
  };
}
