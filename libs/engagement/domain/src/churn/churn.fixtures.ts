import { EventEnvelope } from '@crm/contracts';
import { applyChurnSourceEvent, ChurnFacts, initialChurnFacts } from './churn-facts';
import { DEFAULT_CHURN_POLICY } from './churn-policy';
import { ScoreChurnRisk } from './churn-risk.decider';

export const CUSTOMER = '11111111-1111-4111-8111-111111111111';
let n = 0;

export function envelope(type: string, data: object): EventEnvelope {
  n += 1;
  return {
    id: `e-${n}`, type, schemaVersion: 1, source: 'test', subject: CUSTOMER, time: '2026-01-01T00:00:00.000Z', streamId: 's', streamVersion: n,
    data: { customerId: CUSTOMER, ...data }, metadata: { actor: { id: 't', roles: [] }, correlationId: 'c', causationId: 'c' },
  };
}

export const invoice = (issueDate: string, total = 1000, currency = 'CNY') =>
  envelope('InvoiceIssued', { invoiceId: `inv-${n}`, number: `N-${n}`, currency, issueDate, lines: [], total, terms: { type: 'net', days: 30 }, installments: [], earlyPaymentDiscount: null });
export const survey = (kind: 'csat' | 'nps', score: number, respondedAt: string) =>
  envelope('SurveyResponseRecorded', { responseId: `r-${n}`, kind, score, comment: null, respondedAt, segment: { abcClass: null, region: null, tier: null } });
export const breach = (complaintId: string, clock = 'resolve') =>
  envelope('ComplaintSlaBreached', { complaintId, clock, deadline: '2026-03-01T00:00:00.000Z', detectedAt: '2026-03-01T00:00:00.000Z' });
export const resolved = (complaintId: string) =>
  envelope('ComplaintResolved', { complaintId, resolution: 'refund', resolvedAt: '2026-03-05T00:00:00.000Z', resolvedBy: 'am' });
export const interaction = (occurredAt: string) =>
  envelope('InteractionRecorded', { interactionId: `i-${n}`, channel: 'phone', direction: 'outbound', subject: 's', outcome: 'o', occurredAt, recordedBy: 'am', nextFollowUpOn: null });
export const classChanged = (abcClass: string, businessDate: string) =>
  envelope('CustomerAbcClassChanged', { abcClass, previousClass: null, businessDate, inputs: { trailingRevenue: 0, totalRevenue: 0, coveredBefore: 0, reportingCurrency: 'CNY', policyVersion: 0 } });

/** Facts from source events, each applied on its own business date. */
export function factsFrom(events: Array<[EventEnvelope, string]>): ChurnFacts {
  const facts = initialChurnFacts(CUSTOMER);
  for (const [event, on] of events) applyChurnSourceEvent(facts, event, on);
  return facts;
}

/** Monthly invoices: `count` per month over the months given. */
export function monthlyInvoices(months: string[], count = 1, total = 1000): Array<[EventEnvelope, string]> {
  return months.flatMap((m) => Array.from({ length: count }, () => [invoice(`${m}-10`, total), `${m}-10`] as [EventEnvelope, string]));
}

export function score(facts: ChurnFacts, on = '2026-03-15', policy = DEFAULT_CHURN_POLICY, causedBy: string | null = null): ScoreChurnRisk {
  return { type: 'ScoreChurnRisk', data: { customerId: CUSTOMER, facts, on, causedBy, accountManager: 'am-li' }, context: { policy } };
}
