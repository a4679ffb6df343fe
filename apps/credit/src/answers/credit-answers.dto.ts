import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MoneyDto } from '@crm/platform';

/** What credit's operations answer with (the success bodies in the OpenAPI document). */
const OBJECT = { type: 'object', additionalProperties: true } as const;
const GRADES = ['A', 'B', 'C', 'D', 'E'];

export class FinancialsRecordedDto {
  @ApiProperty() customerId: string;
  @ApiProperty({ description: 'minor units' }) annualRevenue: number;
  @ApiProperty() debtRatio: number;
  @ApiProperty() currentRatio: number;
  @ApiProperty() yearsInBusiness: number;
  @ApiProperty({ example: '2026-06-30' }) asOf: string;
  @ApiProperty() recordedBy: string;
  @ApiProperty({ example: '2026-07-02' }) recordedOn: string;
  @ApiProperty({ description: 'the credit stream version' }) version: number;
}

export class AssessmentDto {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty({ description: '0–100' }) score: number;
  @ApiProperty({ enum: GRADES }) grade: string;
  @ApiProperty({ type: 'array', items: OBJECT, description: 'each scoring factor with its input, weight and points' }) factors: Array<Record<string, unknown>>;
  @ApiProperty() policyVersion: number;
  @ApiProperty() assessedOn: string;
  @ApiProperty({ ...OBJECT, description: 'the inputs the score was computed from' }) inputs: Record<string, unknown>;
}

export class HoldPlacedDto {
  @ApiProperty() customerId: string;
  @ApiProperty({ enum: [true] }) onHold: boolean;
  @ApiProperty({ type: [String], example: ['manual'] }) holdCauses: string[];
  @ApiProperty() version: number;
}

export class HoldReleasedDto {
  @ApiProperty() customerId: string;
  @ApiProperty({ enum: [false] }) onHold: boolean;
  @ApiProperty({ type: [String], description: 'the hold causes released' }) released: string[];
  @ApiProperty() version: number;
}

export class HoldStateDto {
  @ApiProperty() customerId: string;
  @ApiProperty() onHold: boolean;
  @ApiProperty({ type: [String] }) holdCauses: string[];
  @ApiProperty({ description: 'a manual release overrides the automatic causes until they change' }) overridden: boolean;
  @ApiProperty() version: number;
}

export class CreditPositionDto {
  @ApiProperty() customerId: string;
  @ApiProperty({ type: Number, nullable: true }) score: number | null;
  @ApiProperty({ type: String, nullable: true, enum: GRADES }) grade: string | null;
  @ApiProperty({ type: 'array', items: OBJECT }) factors: Array<Record<string, unknown>>;
  @ApiProperty({ type: String, nullable: true }) assessedOn: string | null;
  @ApiProperty({ type: MoneyDto, nullable: true }) limit: MoneyDto | null;
  @ApiProperty({ type: Number, nullable: true }) paymentTermsDays: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'the limit\'s currency (or the only exposure currency)' }) currency: string | null;
  @ApiProperty({ description: 'open receivables in `currency`, minor units' }) exposure: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { CNY: 120000 } }) exposureByCurrency: Record<string, number>;
  @ApiProperty({ type: Number, nullable: true, description: 'limit − exposure, never below 0' }) available: number | null;
  @ApiProperty() onHold: boolean;
  @ApiProperty({ type: [String] }) holdCauses: string[];
  @ApiProperty({ type: String, nullable: true }) nextReviewOn: string | null;
  @ApiProperty() reviewDue: boolean;
  @ApiProperty({ description: 'the credit stream version (0: nothing recorded yet)' }) version: number;
  @ApiPropertyOptional({ format: 'date-time', description: 'with `?asOf=`: the instant answered' }) asOf?: string;
}

export class CreditDecisionDto {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty() streamVersion: number;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ example: 'CreditAssessed' }) type: string;
  @ApiProperty({ enum: ['assessment', 'limit-first-approval', 'limit-approval', 'limit-rejection', 'hold-placed', 'hold-released', 'hold-causes-changed', 'hold-override-lapsed'] }) decision: string;
  @ApiProperty() by: string;
  @ApiProperty() automatic: boolean;
  @ApiProperty() why: string;
  @ApiProperty({ ...OBJECT, description: 'what the decision was made from' }) inputs: Record<string, unknown>;
  @ApiProperty(OBJECT) outcome: Record<string, unknown>;
  @ApiProperty({ type: [String], description: 'event ids the decision rests on' }) facts: string[];
  @ApiProperty({ type: Number, nullable: true }) policyVersion: number | null;
}

export class CreditDecisionsDto {
  @ApiProperty() customerId: string;
  @ApiProperty({ type: [CreditDecisionDto] }) items: CreditDecisionDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

const REQUEST_STATUSES = ['pending', 'awaiting-second-approval', 'approved', 'rejected'];

export class LimitRequestedDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['pending'] }) status: string;
  @ApiProperty() customerId: string;
  @ApiProperty({ description: 'minor units' }) amount: number;
  @ApiProperty() currency: string;
  @ApiProperty() paymentTermsDays: number;
  @ApiProperty() reason: string;
  @ApiProperty() requestedBy: string;
  @ApiProperty() requestedOn: string;
}

export class ApprovalByDto {
  @ApiProperty() by: string;
  @ApiProperty() on: string;
}

export class RejectionDto extends ApprovalByDto {
  @ApiProperty() reason: string;
}

export class LimitRequestListItemDto {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty() amount: number;
  @ApiProperty() currency: string;
  @ApiProperty() paymentTermsDays: number;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: REQUEST_STATUSES }) status: string;
  @ApiProperty() requestedBy: string;
  @ApiProperty() requestedOn: string;
  @ApiProperty({ format: 'date-time' }) requestedAt: string;
  @ApiProperty({ type: [ApprovalByDto] }) approvals: ApprovalByDto[];
  @ApiProperty({ type: RejectionDto, nullable: true }) rejection: RejectionDto | null;
}

export class LimitRequestDto {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty() amount: number;
  @ApiProperty() currency: string;
  @ApiProperty() paymentTermsDays: number;
  @ApiProperty({ enum: REQUEST_STATUSES }) status: string;
  @ApiProperty() requestedBy: string;
  @ApiProperty({ type: 'array', items: OBJECT, description: 'the approvals recorded so far' }) approvals: Array<Record<string, unknown>>;
}

export class LimitDecisionDto {
  @ApiProperty() id: string;
  @ApiProperty() customerId: string;
  @ApiProperty({ enum: ['awaiting-second-approval', 'approved', 'rejected'] }) status: string;
  @ApiProperty() policyVersion: number;
  @ApiPropertyOptional({ description: 'first of two approvals' }) approvedBy?: string;
  @ApiPropertyOptional() approvalsRequired?: number;
  @ApiPropertyOptional({ enum: GRADES }) grade?: string;
  @ApiPropertyOptional({ type: MoneyDto, description: 'approved' }) limit?: MoneyDto;
  @ApiPropertyOptional() paymentTermsDays?: number;
  @ApiPropertyOptional({ type: [String] }) approvers?: string[];
  @ApiPropertyOptional() nextReviewOn?: string;
  @ApiPropertyOptional({ description: 'rejected' }) reason?: string;
}

export class WatchlistItemDto {
  @ApiProperty() customerId: string;
  @ApiProperty({ type: [String], enum: ['on-hold', 'utilization', 'review-due'] }) reasons: string[];
  @ApiProperty() onHold: boolean;
  @ApiProperty({ type: [String] }) holdCauses: string[];
  @ApiProperty({ type: Number, nullable: true, description: 'exposure / limit' }) utilization: number | null;
  @ApiProperty({ type: MoneyDto, nullable: true }) limit: MoneyDto | null;
  @ApiProperty() exposure: number;
  @ApiProperty({ type: String, nullable: true }) currency: string | null;
  @ApiProperty({ type: Number, nullable: true }) available: number | null;
  @ApiProperty({ type: String, nullable: true }) nextReviewOn: string | null;
  @ApiProperty() reviewDue: boolean;
}

export class WatchlistDto {
  @ApiProperty({ type: String, nullable: true, enum: ['on-hold', 'utilization', 'review-due'] }) reason: string | null;
  @ApiProperty({ type: [WatchlistItemDto] }) items: WatchlistItemDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

const NUMBERS = { type: 'object', additionalProperties: { type: 'number' } } as const;

export class CreditPolicyAnswerDto {
  @ApiProperty({ description: '0 before the first change (the defaults)' }) version: number;
  @ApiProperty({ ...NUMBERS, description: 'weight per scoring factor' }) scoringWeights: Record<string, number>;
  @ApiProperty({ ...NUMBERS, description: 'lowest score per grade' }) gradeCutoffs: Record<string, number>;
  @ApiProperty({ ...NUMBERS, description: 'longest payment terms per grade' }) maxPaymentTermsDays: Record<string, number>;
  @ApiProperty({ description: 'limits above this (minor units) need a second approver' }) secondApproverThreshold: number;
  @ApiProperty({ ...OBJECT, description: 'when a hold is placed automatically' }) holdRules: Record<string, unknown>;
  @ApiProperty() reviewIntervalMonths: number;
}

export class CreditPolicyChangedDto extends CreditPolicyAnswerDto {
  @ApiProperty({ description: 'false when the rules sent equal those in force (no new version)' }) changed: boolean;
}
