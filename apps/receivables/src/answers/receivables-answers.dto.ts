import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What receivables' operations answer with (the success bodies in the OpenAPI document). */
const OBJECT = { type: 'object', additionalProperties: true } as const;
const OBJECTS = { type: 'array', items: OBJECT } as const;
const LATE_ENTRY = { ...OBJECT, description: 'present when an admin entered it in a closed period: the reason and who' } as const;

export class InvoiceIssuedDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'INV-2026-000001', description: 'gapless per series' }) number: string;
  @ApiProperty({ description: 'minor units' }) total: number;
  @ApiProperty({ example: 'CNY' }) currency: string;
  @ApiProperty({ type: [String] }) dueDates: string[];
  @ApiProperty({ ...OBJECTS, description: 'due date and amount of each installment' }) installments: Array<Record<string, unknown>>;
  @ApiPropertyOptional({ ...OBJECT, nullable: true }) earlyPaymentDiscount?: Record<string, unknown> | null;
  @ApiPropertyOptional(LATE_ENTRY) lateEntry?: Record<string, unknown>;
}

export class InvoiceDto {
  @ApiProperty() id: string;
  @ApiProperty() number: string;
  @ApiProperty() customerId: string;
  @ApiProperty() currency: string;
  @ApiProperty() issueDate: string;
  @ApiProperty({ ...OBJECTS, description: 'description, quantity, unit price (minor units)' }) lines: Array<Record<string, unknown>>;
  @ApiProperty({ description: 'all amounts in minor units' }) total: number;
  @ApiProperty() paid: number;
  @ApiProperty() discounted: number;
  @ApiProperty() credited: number;
  @ApiProperty() writtenOff: number;
  @ApiProperty() recovered: number;
  @ApiProperty() outstanding: number;
  @ApiProperty({ type: [String] }) dueDates: string[];
  @ApiProperty(OBJECTS) installments: Array<Record<string, unknown>>;
  @ApiProperty({ type: String, nullable: true }) nextDueDate: string | null;
  @ApiProperty({ ...OBJECT, description: '`net` days or an installment schedule' }) terms: Record<string, unknown>;
  @ApiPropertyOptional({ ...OBJECT, nullable: true }) earlyPaymentDiscount?: Record<string, unknown> | null;
  @ApiProperty({ example: 'open', description: 'open, overdue, paid, written-off…' }) status: string;
  @ApiProperty({ type: String, nullable: true }) overdueSince: string | null;
  @ApiProperty() dunningLevel: number;
  @ApiProperty({ ...OBJECTS, description: 'each dunning step recorded, dated the day it fell due' }) dunningSteps: Array<Record<string, unknown>>;
  @ApiPropertyOptional({ ...OBJECT, nullable: true }) dispute?: Record<string, unknown> | null;
  @ApiPropertyOptional({ ...OBJECT, nullable: true, description: 'promisedDate and amount' }) promiseToPay?: Record<string, unknown> | null;
  @ApiPropertyOptional({ ...OBJECT, nullable: true }) writeOffRequest?: Record<string, unknown> | null;
  @ApiProperty({ ...OBJECTS, description: 'the payments allocated to it' }) payments: Array<Record<string, unknown>>;
  @ApiProperty({ type: String, nullable: true, description: 'while open: predicted from the customer\'s own paid invoices, as of today (null without any)' })
  predictedPaymentDate: string | null;
  @ApiProperty({ ...OBJECT, nullable: true, description: 'the inputs of the prediction (null once settled)' }) predictionBasis: Record<string, unknown> | null;
}

export class CreditNoteIssuedDto {
  @ApiProperty() id: string;
  @ApiProperty() invoiceId: string;
  @ApiProperty({ description: 'minor units' }) amount: number;
  @ApiProperty({ description: 'the part above the outstanding, kept as credit balance' }) toCreditBalance: number;
  @ApiProperty() issuedOn: string;
  @ApiPropertyOptional(LATE_ENTRY) lateEntry?: Record<string, unknown>;
}

export class DisputeOpenedDto {
  @ApiProperty() invoiceId: string;
  @ApiProperty({ enum: [true] }) disputed: boolean;
  @ApiProperty() openedOn: string;
}

export class DisputeResolvedDto {
  @ApiProperty() invoiceId: string;
  @ApiProperty({ enum: [false] }) disputed: boolean;
  @ApiProperty() resolvedOn: string;
}

export class PromiseRecordedDto {
  @ApiProperty() invoiceId: string;
  @ApiProperty() promisedDate: string;
  @ApiProperty({ description: 'minor units' }) amount: number;
}

export class WriteOffRequestedDto {
  @ApiProperty() id: string;
  @ApiProperty() invoiceId: string;
  @ApiProperty({ description: 'the outstanding to write off, minor units' }) amount: number;
  @ApiProperty({ enum: ['pending'] }) status: string;
}

export class WriteOffDecidedDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['approved', 'rejected'] }) status: string;
  @ApiProperty() requestId: string;
  @ApiProperty() decidedBy: string;
  @ApiProperty() decidedOn: string;
  @ApiPropertyOptional() invoiceId?: string;
  @ApiPropertyOptional() amount?: number;
  @ApiPropertyOptional() reason?: string;
}

export class PaymentReceivedDto {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty({ description: 'minor units' }) amount: number;
  @ApiProperty() currency: string;
  @ApiProperty({ ...OBJECTS, description: 'invoiceId and amount applied to it' }) allocations: Array<Record<string, unknown>>;
  @ApiProperty({ description: 'not applied to any invoice: the credit balance' }) unapplied: number;
  @ApiPropertyOptional(LATE_ENTRY) lateEntry?: Record<string, unknown>;
  @ApiPropertyOptional({ ...OBJECT, description: 'how the remittance was matched to invoices' }) matching?: Record<string, unknown>;
}

export class PaymentAllocatedDto {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty() currency: string;
  @ApiProperty() allocatedOn: string;
  @ApiProperty(OBJECTS) allocations: Array<Record<string, unknown>>;
  @ApiProperty() unapplied: number;
  @ApiPropertyOptional(LATE_ENTRY) lateEntry?: Record<string, unknown>;
}

export class PaymentReversedDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: [true] }) reversed: boolean;
  @ApiProperty() reversedOn: string;
  @ApiProperty({ ...OBJECTS, description: 'the allocations undone' }) allocations: Array<Record<string, unknown>>;
  @ApiPropertyOptional(LATE_ENTRY) lateEntry?: Record<string, unknown>;
}

export class UnmatchedPaymentDto {
  @ApiProperty() paymentId: string;
  @ApiProperty() customerId: string;
  @ApiProperty() amount: number;
  @ApiProperty() currency: string;
  @ApiProperty() receivedOn: string;
  @ApiPropertyOptional() method?: string;
  @ApiPropertyOptional() reference?: string;
  @ApiPropertyOptional() remittance?: string;
  @ApiProperty() unapplied: number;
  @ApiProperty({ ...OBJECTS, description: 'ranked invoices the payment may be for' }) suggestions: Array<Record<string, unknown>>;
}

export class OverdueRowDto {
  @ApiProperty() customerId: string;
  @ApiProperty() invoiceId: string;
  @ApiProperty() number: string;
  @ApiProperty() currency: string;
  @ApiProperty() outstanding: number;
  @ApiProperty() dueDate: string;
  @ApiProperty() daysOverdue: number;
  @ApiProperty({ example: '1-30' }) bucket: string;
  @ApiProperty() dunningLevel: number;
  @ApiProperty({ type: String, nullable: true }) promisedDate: string | null;
  @ApiProperty() disputed: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'predicted from the customer\'s own paid invoices (null without any)' }) predictedPaymentDate: string | null;
  @ApiProperty({ ...OBJECT, description: 'rule, paid invoices read (with weights), weighted median and spread of days late, dispute days, reason when none' })
  predictionBasis: Record<string, unknown>;
}

export class SegmentPlacementDto {
  @ApiProperty({ enum: ['low-hanging-fruit', 'at-risk', 'deprioritized'] }) segment: string;
  @ApiProperty({ description: 'the rule that placed the row' }) rule: string;
  @ApiProperty() policyVersion: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the facts the rule read (numbers, strings or null)' }) inputs: Record<string, number | string | null>;
}

export class WorklistRowDto extends OverdueRowDto {
  @ApiProperty({ description: 'priority: higher first' }) score: number;
  @ApiPropertyOptional({ type: SegmentPlacementDto, description: 'with `?segment=`: why the row is in it' }) segment?: SegmentPlacementDto;
}

const AS_OF = { type: String, nullable: true, description: 'the business date answered (null before the first close)' } as const;

export class OverdueListDto {
  @ApiProperty(AS_OF) asOf: string | null;
  @ApiProperty({ type: [OverdueRowDto] }) items: OverdueRowDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export class WorklistDto {
  @ApiProperty(AS_OF) asOf: string | null;
  @ApiPropertyOptional({ enum: ['low-hanging-fruit', 'at-risk', 'deprioritized'], description: 'the segment asked for' }) segment?: string;
  @ApiProperty({ type: [WorklistRowDto] }) items: WorklistRowDto[];
  @ApiPropertyOptional({ description: 'with `?segment=`: the version of the segment rules that placed the rows' }) policyVersion?: number;
}

export class SegmentPolicyAnswerDto {
  @ApiProperty({ description: '1 until the first change' }) version: number;
  @ApiProperty({ ...OBJECT, description: '`minPaidInvoices`, `maxMedianDaysLate`' }) usuallyPays: Record<string, number>;
  @ApiProperty({ ...OBJECT, description: '`maxOutstanding` (minor units)' }) smallBalance: Record<string, number>;
  @ApiProperty({ ...OBJECT, description: '`minUtilization` (0 < x ≤ 1)' }) nearLimit: Record<string, number>;
  @ApiProperty({ ...OBJECT, description: '`minLevel`' }) severalDunningLevels: Record<string, number>;
  @ApiProperty({ ...OBJECT, description: '`minPaidInvoices`, `minMedianDaysLate`' }) habituallyLate: Record<string, number>;
}

export class SegmentPolicyChangedDto extends SegmentPolicyAnswerDto {
  @ApiProperty({ description: 'false when the rules sent are the ones in force (nothing recorded)' }) changed: boolean;
}

export class AgingCurrencyDto {
  @ApiProperty() currency: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'outstanding per aging bucket, minor units' }) buckets: Record<string, number>;
  @ApiProperty() total: number;
}

export class AgingDto {
  @ApiProperty(AS_OF) asOf: string | null;
  @ApiProperty({ type: [AgingCurrencyDto] }) currencies: AgingCurrencyDto[];
}

export class AllowanceCurrencyDto {
  @ApiProperty() currency: string;
  @ApiProperty() outstanding: number;
  @ApiProperty({ description: 'bad-debt allowance by aging bucket rates, minor units' }) allowance: number;
}

export class AllowanceDto {
  @ApiProperty(AS_OF) asOf: string | null;
  @ApiProperty({ type: [AllowanceCurrencyDto] }) currencies: AllowanceCurrencyDto[];
}

export class StatementDto {
  @ApiProperty() customerId: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiPropertyOptional({ description: 'with `?asOf=`: the instant answered' }) asOf?: string;
  @ApiProperty({ ...OBJECTS, description: 'per currency: opening balance, lines, closing, credit and open balances' }) currencies: Array<Record<string, unknown>>;
}

export class MetricsDto {
  @ApiProperty({ example: '2026-01' }) period: string;
  @ApiProperty({ ...OBJECTS, description: 'per currency: DSO, collection rate and the figures behind them' }) currencies: Array<Record<string, unknown>>;
}

export class CreditSourceDto {
  @ApiProperty({ example: 'payment' }) kind: string;
  @ApiProperty() id: string;
  @ApiProperty() amount: number;
}

export class CreditBalanceCurrencyDto {
  @ApiProperty() currency: string;
  @ApiProperty({ description: 'minor units' }) amount: number;
  @ApiProperty({ type: [CreditSourceDto] }) sources: CreditSourceDto[];
}

export class CreditBalanceDto {
  @ApiProperty() customerId: string;
  @ApiProperty({ type: [CreditBalanceCurrencyDto] }) currencies: CreditBalanceCurrencyDto[];
}

export class RefundRecordedDto {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty() amount: number;
  @ApiProperty() currency: string;
  @ApiPropertyOptional() reference?: string;
  @ApiProperty() refundedOn: string;
  @ApiProperty({ type: [CreditSourceDto], description: 'the credit paid back, oldest first' }) sources: CreditSourceDto[];
  @ApiPropertyOptional(LATE_ENTRY) lateEntry?: Record<string, unknown>;
}

export class ReceivablesPolicyAnswerDto {
  @ApiProperty() customerId: string;
  @ApiProperty() version: number;
  @ApiProperty({ description: 'credit balance is applied to open invoices automatically' }) autoApplyCredit: boolean;
}

export class ReceivablesPolicyChangedDto extends ReceivablesPolicyAnswerDto {
  @ApiProperty() changed: boolean;
  @ApiProperty({ ...OBJECTS, description: 'CreditBalanceApplied data recorded with the change' }) applied: Array<Record<string, unknown>>;
}
