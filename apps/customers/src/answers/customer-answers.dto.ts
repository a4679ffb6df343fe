import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CUSTOMER_KINDS } from '@crm/contracts';
import { MoneyDto, StreamVerificationDto } from '@crm/platform';

/** What customers' queries answer with (the success bodies in the OpenAPI document). */
export class RfmDto {
  @ApiProperty({ description: 'recency score 1–5' }) r: number;
  @ApiProperty({ description: 'frequency score 1–5' }) f: number;
  @ApiProperty({ description: 'monetary score 1–5' }) m: number;
}

export class ContactAnswerDto {
  @ApiProperty() contactId: string;
  @ApiProperty({ description: '`[erased]` after erasure' }) name: string;
  @ApiPropertyOptional() role?: string;
  @ApiPropertyOptional() phone?: string;
  @ApiPropertyOptional() email?: string;
  @ApiPropertyOptional({ example: '1980-04-12' }) birthday?: string;
}

export class ConsentAnswerDto {
  @ApiProperty() email: boolean;
  @ApiProperty() sms: boolean;
  @ApiProperty() phone: boolean;
  @ApiProperty() wechat: boolean;
  @ApiPropertyOptional() source?: string;
  @ApiPropertyOptional() changedBy?: string;
  @ApiPropertyOptional({ format: 'date-time' }) changedAt?: string;
}

export class CustomerDto {
  @ApiProperty({ enum: ['registered'] }) status: string;
  @ApiProperty() customerId: string;
  @ApiProperty({ enum: CUSTOMER_KINDS }) kind: string;
  @ApiProperty() legalName: string;
  @ApiPropertyOptional() industry?: string;
  @ApiPropertyOptional() region?: string;
  @ApiPropertyOptional() taxId?: string;
  @ApiPropertyOptional() accountManager?: string;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ type: [ContactAnswerDto] }) contacts: ContactAnswerDto[];
  @ApiProperty({ type: ConsentAnswerDto }) consent: ConsentAnswerDto;
  @ApiProperty() archived: boolean;
  @ApiPropertyOptional() archiveReason?: string;
  @ApiProperty() personalDataErased: boolean;
  @ApiProperty({ type: String, nullable: true, enum: ['A', 'B', 'C'] }) abcClass: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['prospect', 'new', 'repeat', 'loyal', 'at_risk', 'churned'] }) stage: string | null;
  @ApiProperty({ type: RfmDto, nullable: true }) rfm: RfmDto | null;
  @ApiProperty({ type: MoneyDto, nullable: true, description: 'customer lifetime value in the reporting currency' }) clv: MoneyDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'business date of the last close that changed the classification' }) classifiedOn: string | null;
  @ApiProperty({ description: 'stream version; also the ETag' }) version: number;
}

export class DirectoryEntryDto {
  @ApiProperty() customerId: string;
  @ApiProperty({ enum: CUSTOMER_KINDS }) kind: string;
  @ApiProperty({ type: String, nullable: true, description: 'a company\'s legal name; null for a person' }) legalName: string | null;
  @ApiProperty({ type: String, nullable: true }) taxId: string | null;
  @ApiProperty({ type: String, nullable: true }) industry: string | null;
  @ApiProperty({ type: String, nullable: true }) region: string | null;
  @ApiProperty({ type: String, nullable: true }) accountManager: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty() archived: boolean;
  @ApiProperty({ type: String, nullable: true, enum: ['A', 'B', 'C'] }) abcClass: string | null;
  @ApiProperty({ type: String, nullable: true }) stage: string | null;
  @ApiProperty({ type: RfmDto, nullable: true }) rfm: RfmDto | null;
  @ApiProperty({ type: MoneyDto, nullable: true }) clv: MoneyDto | null;
  @ApiProperty({ format: 'date-time' }) registeredAt: string;
}

export class RateAnswerDto {
  @ApiProperty({ example: 'USD' }) currency: string;
  @ApiProperty({ example: 7.1 }) rate: number;
}

export class RetentionAnswerDto {
  @ApiProperty({ example: 0.8 }) base: number;
  @ApiProperty({ example: 0.3 }) atRisk: number;
}

export class ClassificationPolicyAnswerDto {
  @ApiProperty({ description: '0 before the first change (the defaults)' }) version: number;
  @ApiProperty({ example: 'CNY' }) reportingCurrency: string;
  @ApiProperty({ type: [RateAnswerDto] }) rates: RateAnswerDto[];
  @ApiProperty({ type: RetentionAnswerDto }) retention: RetentionAnswerDto;
}

export class AbcSegmentDto {
  @ApiProperty({ enum: ['A', 'B', 'C', 'unclassified'] }) abcClass: string;
  @ApiProperty() customers: number;
  @ApiProperty({ description: 'trailing-12-month revenue, reporting-currency minor units' }) revenue: number;
  @ApiProperty({ description: 'share of all revenue, 0–1 (4 decimals)' }) revenueShare: number;
}

export class AbcSegmentsDto {
  @ApiProperty({ example: '2026-11-30' }) asOf: string;
  @ApiProperty({ example: 'CNY' }) reportingCurrency: string;
  @ApiProperty({ type: [AbcSegmentDto] }) segments: AbcSegmentDto[];
}

const PART = { type: 'object', additionalProperties: true, description: '`status` (`ok` or `no-events`), `lastEventAt`, `stale`, and the part\'s figures' } as const;

export class OverviewProfileDto {
  @ApiProperty() customerId: string;
  @ApiProperty({ enum: CUSTOMER_KINDS }) kind: string;
  @ApiProperty() archived: boolean;
  @ApiProperty({ type: String, nullable: true }) accountManager: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ format: 'date-time' }) lastEventAt: string;
}

export class OverviewClassificationDto {
  @ApiProperty({ type: String, nullable: true }) abcClass: string | null;
  @ApiProperty({ type: String, nullable: true }) stage: string | null;
  @ApiProperty({ type: RfmDto, nullable: true }) rfm: RfmDto | null;
  @ApiProperty({ type: MoneyDto, nullable: true }) clv: MoneyDto | null;
  @ApiProperty({ type: String, nullable: true }) classifiedOn: string | null;
}

export class CustomerOverviewDto {
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) asOf: string | null;
  @ApiProperty() staleAfterHours: number;
  @ApiProperty({ type: OverviewProfileDto }) profile: OverviewProfileDto;
  @ApiProperty({ type: OverviewClassificationDto }) classification: OverviewClassificationDto;
  @ApiProperty({ ...PART, example: { status: 'ok', lastEventAt: '2026-11-30T10:00:00.000Z', stale: false, grade: 'B', limit: { amount: 5000000, currency: 'CNY' }, onHold: false } }) credit: Record<string, unknown>;
  @ApiProperty(PART) receivables: Record<string, unknown>;
  @ApiProperty(PART) engagement: Record<string, unknown>;
}

export class ActorDto {
  @ApiProperty() id: string;
  @ApiProperty({ type: [String] }) roles: string[];
}

export class TimelineEventDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['customers', 'credit', 'receivables', 'engagement'] }) service: string;
  @ApiProperty({ example: 'InvoiceIssued' }) type: string;
  @ApiProperty() schemaVersion: number;
  @ApiProperty() source: string;
  @ApiProperty({ description: 'the customer id' }) subject: string;
  @ApiProperty({ format: 'date-time' }) time: string;
  @ApiProperty({ format: 'date-time', description: 'when the producing service recorded it (the order)' }) recordedAt: string;
  @ApiProperty({ type: ActorDto }) actor: ActorDto;
  @ApiProperty() correlationId: string;
  @ApiProperty() causationId: string;
  @ApiProperty() streamId: string;
  @ApiProperty() streamVersion: number;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the event\'s data, personal values opened (`[erased]` after erasure)' }) data: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata: Record<string, unknown>;
}

export class CustomerHistoryDto {
  @ApiProperty() customerId: string;
  @ApiProperty({ type: [TimelineEventDto] }) events: TimelineEventDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
  @ApiProperty({ type: StreamVerificationDto, description: 'the hash-chain check of customers\' own stream' }) integrity: StreamVerificationDto;
}

export class CorrelationHistoryDto {
  @ApiProperty() correlationId: string;
  @ApiProperty({ type: [TimelineEventDto] }) events: TimelineEventDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}
