import { eventsTopic } from '@crm/contracts';
import { churnRiskKey, CustomerChurnRisk, evolveChurnRisk } from '@crm/customers-domain';
import { DocumentProjection } from '@crm/eventing';

/** Engagement's churn-risk flag per customer (ChurnRiskFlagged / Cleared / Scored): the day close reads the open ones. */
export function customerChurnRiskProjection(prefix: string): DocumentProjection<CustomerChurnRisk> {
  return {
    name: 'customer-churn-risk',
    table: 'customer_churn_risk',
    topics: [eventsTopic('engagement', prefix)],
    columns: [`open boolean GENERATED ALWAYS AS ((doc->>'open')::boolean) STORED`],
    indexes: ['(id) WHERE open'],
    keyOf: churnRiskKey,
    evolve: (doc, event, key) => evolveChurnRisk(doc, event, key),
  };
}
