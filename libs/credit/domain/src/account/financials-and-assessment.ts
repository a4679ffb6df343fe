import { domainError, PaymentHistoryV1 } from '@crm/contracts';
import { scoreCustomer } from '../assessment/scoring';
import { CreditPolicy } from '../policy/credit-policy';
import { CreditAccountEvent, event } from './credit-account.events';
import { CreditAccountState } from './credit-account.state';

export const unknownCustomer = (customerId: string) =>
  domainError('unknown-customer', 'refused', `customer ${customerId} is not known to credit`, 'customerId');

export interface RecordFinancials {
  type: 'RecordFinancials';
  data: { customerId: string; annualRevenue: number; debtRatio: number; currentRatio: number; yearsInBusiness: number; asOf: string; recordedBy: string; recordedOn: string };
  context: { customerKnown: boolean };
}

export function recordFinancials({ data, context }: RecordFinancials): CreditAccountEvent[] {
  if (!context.customerKnown) throw unknownCustomer(data.customerId);
  return [event('CreditFinancialsRecorded', data)];
}

export interface AssessCredit {
  type: 'AssessCredit';
  data: { assessmentId: string; customerId: string; assessedBy: string; assessedOn: string };
  /** Credit's copy of receivables' facts and the policy in force, read before deciding. */
  context: { customerKnown: boolean; paymentHistory: PaymentHistoryV1; policy: CreditPolicy };
}

/** Scores payment history and the latest financials under the current policy; every input is kept in the event. */
export function assessCredit({ data, context }: AssessCredit, state: CreditAccountState): CreditAccountEvent[] {
  if (!context.customerKnown) throw unknownCustomer(data.customerId);
  const f = state.financials;
  const financials = f && { annualRevenue: f.annualRevenue, debtRatio: f.debtRatio, currentRatio: f.currentRatio, yearsInBusiness: f.yearsInBusiness, asOf: f.asOf };
  const { score, grade, factors } = scoreCustomer(context.paymentHistory, financials, context.policy.rules);
  return [event('CreditAssessed', {
    ...data, score, grade, factors, policyVersion: context.policy.version, inputs: { paymentHistory: context.paymentHistory, financials },
  })];
}
