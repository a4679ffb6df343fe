import { eventsTopic } from '@crm/contracts';
import { ChurnRiskDoc, churnRiskKey, evolveChurnRisk } from '@crm/engagement-domain';
import { DocumentProjection } from '@crm/eventing';
import { applyChurnRiskVersions, CHURN_RISK_COMPANIONS } from './churn-risk-versions';

export const CHURN_RISK = 'churn-risk';

/** Each scored customer's churn risk (score, signals, flag) and the retention follow-up of its latest flag, with its dated versions. */
export function churnRiskProjection(prefix: string): DocumentProjection<ChurnRiskDoc> {
  return {
    name: CHURN_RISK,
    table: 'churn_risk',
    topics: [eventsTopic('engagement', prefix)],
    columns: [`score integer GENERATED ALWAYS AS ((doc->>'score')::integer) STORED`],
    // The list's keyset order, as one ascending key (churn-risk.queries).
    indexes: ['((-score), id)'],
    // 2: the versions companion, filled from offset zero by the rebuild this makes deployments run.
    version: 2,
    keyOf: churnRiskKey,
    evolve: (doc, event) => evolveChurnRisk(doc, event),
    companions: CHURN_RISK_COMPANIONS,
    apply: applyChurnRiskVersions,
    // Versions follow from the churn events alone: the rest of engagement's topic stays ignored (ADR 40).
    applyKeyedOnly: true,
  };
}
