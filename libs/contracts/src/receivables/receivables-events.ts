import { EventContract } from '../json-schema';
import { arr, bool, currency, date, int, nullable, num, obj, str, uuid } from '../schema-builders';

export interface InvoiceLineV1 { description: string; quantity: number; unitPrice: number; amount: number }
export interface InstallmentV1 { dueDate: string; amount: number }
export interface EarlyPaymentDiscountV1 { percent: number; withinDays: number; deadline: string }
export type PaymentTermsV1 = { type: 'net'; days: number } | { type: 'installments' };

/** Present on an entry dated in a closed accounting period, which only an admin may post, with a reason. */
export interface LateEntryV1 { period: string; reason: string }

export interface InvoiceIssuedV1 {
  invoiceId: string; number: string; customerId: string; currency: string; issueDate: string;
  lines: InvoiceLineV1[]; total: number; terms: PaymentTermsV1; installments: InstallmentV1[];
  earlyPaymentDiscount: EarlyPaymentDiscountV1 | null;
  lateEntry?: LateEntryV1;
}
export interface AllocationV1 { invoiceId: string; amount: number; discount: number; kind: 'payment' | 'recovery' }
/** One invoice reference a remittance text named, and what cash application made of it. */
export interface RemittanceReferenceV1 {
  text: string; invoiceId: string | null; number: string | null;
  outcome: 'applied' | 'suggested' | 'settled' | 'other-currency' | 'unknown';
  why: string;
  /** Applied less its share of a deduction the remittance states that no earned discount covers: that much stays open on the invoice. */
  shortPaid?: number;
}
/**
 * A deduction the remittance states ("less 2%") that matched: `amount` is `percent` of `base` (the
 * named invoices' outstanding), rounded half up; `earnedDiscount` the part early-payment
 * discounts cover, `shortPaid` the rest, left open on the invoices.
 */
export interface RemittanceDeductionV1 { percent: number; base: number; amount: number; earnedDiscount: number; shortPaid: number; rounding: string }
/** An invoice the unapplied money might belong to: for a person to confirm (`POST /v1/payments/{id}/allocations`). */
export interface MatchSuggestionV1 { invoiceId: string; number: string; amount: number; confidence: number; why: string }
/** What cash application read in the remittance and decided (inputs and rule recorded with the decision). */
export interface RemittanceMatchingV1 {
  rule: string; references: RemittanceReferenceV1[]; deductionPercent: number | null; suggestions: MatchSuggestionV1[];
  /** Present when the money matched the named invoices less the stated deduction. */
  deduction?: RemittanceDeductionV1;
}
export interface PaymentReceivedV1 {
  paymentId: string; customerId: string; amount: number; currency: string; receivedOn: string;
  method: string; reference: string; allocations: AllocationV1[]; unapplied: number;
  lateEntry?: LateEntryV1;
  /** The payer's remittance text, when the payment came with one (absent on older events). */
  remittance?: string;
  /** How the remittance was matched (absent when allocations were named or none was sent). */
  matching?: RemittanceMatchingV1;
}
/** Unapplied money of a payment applied later to named invoices; `unapplied` is what the payment has left. */
export interface PaymentAllocatedV1 {
  paymentId: string; customerId: string; currency: string; allocatedOn: string; allocations: AllocationV1[]; unapplied: number;
  lateEntry?: LateEntryV1;
}
/** Where credit-balance money came from: a payment's unapplied money or the part of a credit note above the outstanding. */
export interface CreditSourceV1 { kind: 'payment' | 'credit-note'; id: string; amount: number }
export interface CreditApplicationV1 { invoiceId: string; amount: number; source: CreditSourceV1 }
/** The customer's credit balance applied to open invoices, oldest due first (policy `autoApplyCredit`). */
export interface CreditBalanceAppliedV1 {
  customerId: string; currency: string; appliedOn: string; applications: CreditApplicationV1[];
  policyVersion: number; trigger: string;
}
export interface CreditBalanceRefundedV1 {
  refundId: string; customerId: string; currency: string; amount: number; reference: string; refundedOn: string; sources: CreditSourceV1[];
  lateEntry?: LateEntryV1;
}
/** A customer's receivables settings, versioned per customer. */
export interface ReceivablesPolicyChangedV1 { customerId: string; version: number; autoApplyCredit: boolean; changedOn: string }
export interface PaymentReversedV1 { paymentId: string; customerId: string; currency: string; reversedOn: string; allocations: AllocationV1[]; unapplied: number; lateEntry?: LateEntryV1 }
export interface CreditNoteIssuedV1 {
  creditNoteId: string; invoiceId: string; customerId: string; currency: string; amount: number; reason: string; issuedOn: string; lateEntry?: LateEntryV1;
  /** The part above the invoice's outstanding: it becomes customer credit balance (absent: 0). */
  toCreditBalance?: number;
}
export interface InvoiceDisputedV1 { invoiceId: string; customerId: string; reason: string; openedOn: string }
export interface InvoiceDisputeResolvedV1 { invoiceId: string; customerId: string; resolution: string; resolvedOn: string }
export interface PromiseToPayRecordedV1 { invoiceId: string; customerId: string; promisedDate: string; amount: number; recordedOn: string }
export interface PromiseToPayOutcomeV1 { invoiceId: string; customerId: string; promisedDate: string; promised: number; paid: number; businessDate: string }
export interface WriteOffRequestedV1 { requestId: string; invoiceId: string; customerId: string; amount: number; reason: string; requestedBy: string; requestedOn: string }
export interface WriteOffApprovedV1 { requestId: string; invoiceId: string; customerId: string; currency: string; amount: number; approvedBy: string; approvedOn: string }
export interface WriteOffRejectedV1 { requestId: string; invoiceId: string; customerId: string; rejectedBy: string; reason: string; rejectedOn: string }
export interface InvoiceBecameOverdueV1 { invoiceId: string; customerId: string; currency: string; businessDate: string; dueDate: string; daysOverdue: number; outstanding: number }
export interface DunningLevelRaisedV1 { invoiceId: string; customerId: string; businessDate: string; level: number; previousLevel: number; daysOverdue: number; action: string }
export interface BusinessDayClosedV1 { businessDate: string; closedBy: string }
/**
 * The worklist segment rules, versioned (stream `worklist-segment-policy`): thresholds of the
 * rules that place overdue invoices in low-hanging fruit, at risk and deprioritized. Version 1
 * is the default in force until the first change; each worklist row cites the version.
 */
export interface WorklistSegmentPolicyChangedV1 {
  version: number;
  usuallyPays: { minPaidInvoices: number; maxMedianDaysLate: number };
  smallBalance: { maxOutstanding: number };
  nearLimit: { minUtilization: number };
  severalDunningLevels: { minLevel: number };
  habituallyLate: { minPaidInvoices: number; minMedianDaysLate: number };
  changedBy: string;
  changedOn: string;
}
/** A month (`YYYY-MM`) closed for entries: invoices, payments, credit notes and reversals dated in it are refused from then on. */
export interface AccountingPeriodClosedV1 { period: string; closedBy: string; closedOn: string }

const allocation = obj({ invoiceId: uuid(), amount: int(), discount: int(), kind: str({ enum: ['payment', 'recovery'] }) });
const lateEntry = obj({ period: str({ pattern: '^\\d{4}-\\d{2}$' }), reason: str() });
const creditSource = obj({ kind: str({ enum: ['payment', 'credit-note'] }), id: uuid(), amount: int() });
const matching = obj({
  rule: str(),
  references: arr(obj({ text: str(), invoiceId: nullable(uuid()), number: nullable(str()),
    outcome: str({ enum: ['applied', 'suggested', 'settled', 'other-currency', 'unknown'] }), why: str(), 'shortPaid?': int() })),
  deductionPercent: nullable(num()),
  'deduction?': obj({ percent: num(), base: int(), amount: int(), earnedDiscount: int(), shortPaid: int(), rounding: str() }),
  suggestions: arr(obj({ invoiceId: uuid(), number: str(), amount: int(), confidence: num(), why: str() })),
});
const promiseOutcome = obj({ invoiceId: uuid(), customerId: uuid(), promisedDate: date(), promised: int(), paid: int(), businessDate: date() });

export const receivablesContracts: EventContract[] = [
  { type: 'InvoiceIssued', version: 1, schema: obj({
    invoiceId: uuid(), number: str(), customerId: uuid(), currency: currency(), issueDate: date(),
    lines: arr(obj({ description: str(), quantity: int(), unitPrice: int(), amount: int() })), total: int(),
    terms: obj({ type: str({ enum: ['net', 'installments'] }), 'days?': int() }),
    installments: arr(obj({ dueDate: date(), amount: int() })),
    earlyPaymentDiscount: nullable(obj({ percent: num(), withinDays: int(), deadline: date() })),
    'lateEntry?': lateEntry,
  }) },
  { type: 'PaymentReceived', version: 1, schema: obj({
    paymentId: uuid(), customerId: uuid(), amount: int(), currency: currency(), receivedOn: date(), method: str(),
    reference: str(), allocations: arr(allocation), unapplied: int(), 'lateEntry?': lateEntry, 'remittance?': str(), 'matching?': matching,
  }) },
  { type: 'PaymentAllocated', version: 1, schema: obj({
    paymentId: uuid(), customerId: uuid(), currency: currency(), allocatedOn: date(), allocations: arr(allocation), unapplied: int(), 'lateEntry?': lateEntry,
  }) },
  { type: 'CreditBalanceApplied', version: 1, schema: obj({
    customerId: uuid(), currency: currency(), appliedOn: date(), applications: arr(obj({ invoiceId: uuid(), amount: int(), source: creditSource })),
    policyVersion: int(), trigger: str(),
  }) },
  { type: 'CreditBalanceRefunded', version: 1, schema: obj({
    refundId: uuid(), customerId: uuid(), currency: currency(), amount: int(), reference: str(), refundedOn: date(), sources: arr(creditSource), 'lateEntry?': lateEntry,
  }) },
  { type: 'WorklistSegmentPolicyChanged', version: 1, schema: obj({
    version: int(), usuallyPays: obj({ minPaidInvoices: int(), maxMedianDaysLate: int() }), smallBalance: obj({ maxOutstanding: int() }),
    nearLimit: obj({ minUtilization: num() }), severalDunningLevels: obj({ minLevel: int() }),
    habituallyLate: obj({ minPaidInvoices: int(), minMedianDaysLate: int() }), changedBy: str(), changedOn: date(),
  }) },
  { type: 'ReceivablesPolicyChanged', version: 1, schema: obj({ customerId: uuid(), version: int(), autoApplyCredit: bool(), changedOn: date() }) },
  { type: 'PaymentReversed', version: 1, schema: obj({ paymentId: uuid(), customerId: uuid(), currency: currency(), reversedOn: date(), allocations: arr(allocation), unapplied: int(), 'lateEntry?': lateEntry }) },
  { type: 'CreditNoteIssued', version: 1, schema: obj({ creditNoteId: uuid(), invoiceId: uuid(), customerId: uuid(), currency: currency(), amount: int(), reason: str(), issuedOn: date(), 'lateEntry?': lateEntry, 'toCreditBalance?': int() }) },
  { type: 'InvoiceDisputed', version: 1, schema: obj({ invoiceId: uuid(), customerId: uuid(), reason: str(), openedOn: date() }) },
  { type: 'InvoiceDisputeResolved', version: 1, schema: obj({ invoiceId: uuid(), customerId: uuid(), resolution: str(), resolvedOn: date() }) },
  { type: 'PromiseToPayRecorded', version: 1, schema: obj({ invoiceId: uuid(), customerId: uuid(), promisedDate: date(), amount: int(), recordedOn: date() }) },
  { type: 'PromiseToPayKept', version: 1, schema: promiseOutcome },
  { type: 'PromiseToPayPartiallyKept', version: 1, schema: promiseOutcome },
  { type: 'PromiseToPayBroken', version: 1, schema: promiseOutcome },
  { type: 'WriteOffRequested', version: 1, schema: obj({ requestId: uuid(), invoiceId: uuid(), customerId: uuid(), amount: int(), reason: str(), requestedBy: str(), requestedOn: date() }) },
  { type: 'WriteOffApproved', version: 1, schema: obj({ requestId: uuid(), invoiceId: uuid(), customerId: uuid(), currency: currency(), amount: int(), approvedBy: str(), approvedOn: date() }) },
  { type: 'WriteOffRejected', version: 1, schema: obj({ requestId: uuid(), invoiceId: uuid(), customerId: uuid(), rejectedBy: str(), reason: str(), rejectedOn: date() }) },
  { type: 'InvoiceBecameOverdue', version: 1, schema: obj({ invoiceId: uuid(), customerId: uuid(), currency: currency(), businessDate: date(), dueDate: date(), daysOverdue: int(), outstanding: int() }) },
  { type: 'DunningLevelRaised', version: 1, schema: obj({ invoiceId: uuid(), customerId: uuid(), businessDate: date(), level: int(), previousLevel: int(), daysOverdue: int(), action: str() }) },
  { type: 'BusinessDayClosed', version: 1, schema: obj({ businessDate: date(), closedBy: str() }) },
  { type: 'AccountingPeriodClosed', version: 1, schema: obj({ period: str({ pattern: '^\\d{4}-\\d{2}$' }), closedBy: str(), closedOn: date() }) },
];

