import { EventContract } from '../json-schema';
import { arr, date, int, nullable, obj, str, uuid } from '../schema-builders';

/** The engagement team's published churn-risk contract (stream `churn-<customerId>`). */
export const CHURN_SIGNALS = ['purchase-frequency-drop', 'spend-drop', 'low-satisfaction', 'complaint-past-sla', 'no-recent-interaction'] as const;
export type ChurnSignalCode = (typeof CHURN_SIGNALS)[number];

/** One signal that counted: its points under the policy and what showed it. */
export interface ChurnSignalV1 { code: ChurnSignalCode; points: number; detail: string }

export interface ChurnRiskInputsV1 {
  score: number;
  signals: ChurnSignalV1[];
  /** The business date scored for (day close) or the date of the event that changed a signal. */
  on: string;
  /** The event that caused the scoring, null for a day close. */
  causedBy: string | null;
  policyVersion: number;
}

/** The score reached the flag threshold: a retention follow-up goes to the account manager. */
export interface ChurnRiskFlaggedV1 extends ChurnRiskInputsV1 { customerId: string; accountManager: string | null }
/** The score fell below the clear threshold. */
export interface ChurnRiskClearedV1 extends ChurnRiskInputsV1 { customerId: string }
/** The score changed without crossing a threshold (kept so the list and the 360 show the current score). */
export interface ChurnRiskScoredV1 extends ChurnRiskInputsV1 { customerId: string }

export interface ChurnPolicyChangedV1 {
  version: number;
  weights: Record<ChurnSignalCode, number>;
  flagAt: number;
  clearBelow: number;
  changedBy: string;
}

const inputs = {
  score: int(), signals: arr(obj({ code: str({ enum: [...CHURN_SIGNALS] }), points: int(), detail: str() })),
  on: date(), causedBy: nullable(str()), policyVersion: int(),
};

export const churnContracts: EventContract[] = [
  { type: 'ChurnRiskFlagged', version: 1, schema: obj({ customerId: uuid(), accountManager: nullable(str()), ...inputs }) },
  { type: 'ChurnRiskCleared', version: 1, schema: obj({ customerId: uuid(), ...inputs }) },
  { type: 'ChurnRiskScored', version: 1, schema: obj({ customerId: uuid(), ...inputs }) },
  { type: 'ChurnPolicyChanged', version: 1, schema: obj({
    version: int(), weights: obj(Object.fromEntries(CHURN_SIGNALS.map((s) => [s, int()]))), flagAt: int(), clearBelow: int(), changedBy: str(),
  }) },
];
