/**
 * A decider (Emmett's shape): pure functions, no I/O, no clock. Time arrives in the
 * command's metadata; the events it returns are facts with payloads.
 */
export interface Decider<State, Command, Event> {
  initialState(): State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

/** Business time and identity every command carries (never read from the clock inside). */
export interface CommandMetadata {
  now: string;
  actorId: string;
}
