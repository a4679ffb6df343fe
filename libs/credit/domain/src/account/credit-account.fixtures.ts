import { PaymentHistoryV1 } from '@crm/contracts';
import { HoldFacts } from '../facts/receivables-facts';
import { CreditPolicy, DEFAULT_CREDIT_POLICY } from '../policy/credit-policy';
import { CreditAccountEvent, event } from './credit-account.events';

export const CUSTOMER = '00000000-0000-4000-8000-000000000001';
export const REQUEST = '00000000-0000-4000-8000-0000000000a1';
export const ASSESSMENT = '00000000-0000-4000-8000-0000000000b1';
export const POLICY: CreditPolicy = { version: 0, rules: DEFAULT_CREDIT_POLICY };

export const noHistory: PaymentHistoryV1 = {
  factsVersion: 0, asOfDate: null, invoices: 0, settledInvoices: 0, onTimeInvoices: 0, onTimeRatio: null,
  averageDaysBeyondTerms: null, worstDaysOverdue: null, writeOffs: 0,
};

export const assessed = (grade: 'A' | 'B' | 'C' | 'D', score = { A: 85, B: 70, C: 55, D: 30 }[grade]): CreditAccountEvent => event('CreditAssessed', {
  assessmentId: ASSESSMENT, customerId: CUSTOMER, score, grade, factors: [], policyVersion: 0,
  inputs: { paymentHistory: noHistory, financials: null }, assessedBy: 'cm-1', assessedOn: '2026-03-01',
});

export const requested = (amount = 5_000_000, paymentTermsDays = 30, requestedBy = 'sales-1'): CreditAccountEvent => event('CreditLimitRequested', {
  requestId: REQUEST, customerId: CUSTOMER, amount, currency: 'CNY', paymentTermsDays, reason: 'new distributor', requestedBy, requestedOn: '2026-03-01',
});

export const approve = (approvedBy: string, facts: HoldFacts | null = null, policy = POLICY) =>
  ({ type: 'ApproveCreditLimit' as const, data: { requestId: REQUEST, approvedBy, approvedOn: '2026-03-02' }, context: { policy, facts } });

export const limitApproved = (amount = 5_000_000, approvers = ['cm-1']): CreditAccountEvent => event('CreditLimitApproved', {
  customerId: CUSTOMER, limit: amount, currency: 'CNY', approvedBy: approvers[approvers.length - 1], approvedOn: '2026-03-02',
  paymentTermsDays: 30, grade: 'B', policyVersion: 0, requestId: REQUEST, approvers, reviewDueOn: '2027-03-02',
  inputs: { amount, currency: 'CNY', paymentTermsDays: 30, assessmentId: ASSESSMENT, score: 70, grade: 'B', maxPaymentTermsDays: 45, secondApproverThreshold: 100_000_000 },
});

export const facts = (over: Partial<HoldFacts> = {}): HoldFacts => ({
  customerId: CUSTOMER, version: 1, businessDate: '2026-03-10', exposure: [], oldestUnpaid: null, worstDunning: null, triggeredBy: ['ev-1'], ...over,
});

export const evaluate = (f: HoldFacts, businessDate?: string, policy = POLICY) =>
  ({ type: 'EvaluateHold' as const, data: { facts: f, on: f.businessDate ?? '2026-03-10', ...(businessDate ? { businessDate } : {}) }, context: { policy } });
