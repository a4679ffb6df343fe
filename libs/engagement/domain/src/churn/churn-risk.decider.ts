import { ChurnRiskInputsV1, Decider, EngagementEventMap, laterDate, TypedEvent } from '@crm/contracts';
import { ChurnFacts } from './churn-facts';
import { ChurnPolicy } from './churn-policy';
import { churnSignals } from './churn-signals';

/** One customer's churn decisions (stream `churn-<customerId>`). */
export type ChurnRiskEvent = TypedEvent<Pick<EngagementEventMap, 'ChurnRiskFlagged' | 'ChurnRiskCleared' | 'ChurnRiskScored'>>;

export interface ChurnRiskState {
  flagged: boolean;
  score: number;
  /** Codes of the signals of the last score, in the contract's order. */
  signals: string[];
  /** The latest date scored for: scoring never goes back in time. */
  lastOn: string | null;
}

export const initialChurnRisk = (): ChurnRiskState => ({ flagged: false, score: 0, signals: [], lastOn: null });

/**
 * Scores the facts as of a date: the day close's business date, or the date of the event that
 * changed a signal (never before the last date scored). The policy is read at the edge.
 */
export interface ScoreChurnRisk {
  type: 'ScoreChurnRisk';
  data: { customerId: string; facts: ChurnFacts; on: string; causedBy: string | null; accountManager: string | null };
  context: { policy: ChurnPolicy };
}

export type ChurnRiskCommand = ScoreChurnRisk;

function scoreChurnRisk({ data, context: { policy } }: ScoreChurnRisk, state: ChurnRiskState): ChurnRiskEvent[] {
  const on = laterDate(data.on, state.lastOn) as string;
  const signals = churnSignals(data.facts, on, policy.weights);
  const score = Math.min(100, signals.reduce((n, s) => n + s.points, 0));
  const inputs: ChurnRiskInputsV1 = { score, signals, on, causedBy: data.causedBy, policyVersion: policy.version };
  const customerId = data.customerId;
  // Hysteresis: flagged at flagAt or more, cleared only below clearBelow; in between it stays as it was.
  if (!state.flagged && score >= policy.flagAt) {
    return [{ type: 'ChurnRiskFlagged', schemaVersion: 1, data: { customerId, accountManager: data.accountManager, ...inputs } }];
  }
  if (state.flagged && score < policy.clearBelow) return [{ type: 'ChurnRiskCleared', schemaVersion: 1, data: { customerId, ...inputs } }];
  const unchanged = score === state.score && signals.map((s) => s.code).join() === state.signals.join();
  return unchanged ? [] : [{ type: 'ChurnRiskScored', schemaVersion: 1, data: { customerId, ...inputs } }];
}

export const churnRiskDecider: Decider<ChurnRiskState, ChurnRiskCommand, ChurnRiskEvent> = {
  initialState: initialChurnRisk,
  decide(command, state) {
    switch (command.type) {
      case 'ScoreChurnRisk': return scoreChurnRisk(command, state);
      default: {
        const unhandled: never = command.type;
        throw new Error(`unknown command ${String(unhandled)}`);
      }
    }
  },
  evolve(state, event) {
    if (event.type === 'ChurnRiskFlagged') state.flagged = true;
    if (event.type === 'ChurnRiskCleared') state.flagged = false;
    state.score = event.data.score;
    state.signals = event.data.signals.map((s) => s.code);
    state.lastOn = laterDate(event.data.on, state.lastOn);
    return state;
  },
};
