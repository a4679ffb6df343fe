import { eventsTopic } from '@crm/contracts';
import { ChurnRiskDoc, churnRiskKey, evolveChurnRisk } from '@crm/engagement-domain';
import { DocumentProjection } from '@crm/eventing';

export const CHURN_RISK = 'churn-risk';

/** Each scored customer's churn risk (score, signals, flag) and the retention follow-up of its latest flag. */
export function churnRiskProjection(prefix: string): DocumentProjection<ChurnRiskDoc> {
  return {
    name: CHURN_RISK,
    table: 'churn_risk',
    topics: [eventsTopic('engagement', prefix)],
    columns: [`score integer GENERATED ALWAYS AS ((doc->>'score')::integer) STORED`],
    indexes: ['(score DESC, id)'],
    keyOf: churnRiskKey,
    evolve: (doc, event) => evolveChurnRisk(doc, event),
  };
}
