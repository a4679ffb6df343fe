import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { COMPLAINT_SEVERITIES, ComplaintSeverity, SURVEY_KINDS, SurveyKind } from '@crm/contracts';
import { SATISFACTION_SEGMENTS, SatisfactionSegment } from '@crm/engagement-domain';
import { IsInstant, QueryNumber } from '@crm/platform';

const notBlank = (field: string) => Matches(/\S/, { message: `${field} must not be blank` });

export class RaiseComplaintDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() customerId: string;
  @ApiProperty({ example: 'delivery' }) @IsString() @IsNotEmpty() @notBlank('category') @MaxLength(100) category: string;
  @ApiProperty({ enum: COMPLAINT_SEVERITIES }) @IsIn(COMPLAINT_SEVERITIES) severity: ComplaintSeverity;
  @ApiProperty() @IsString() @IsNotEmpty() @notBlank('description') @MaxLength(4000) description: string;
}

export class ResolveComplaintDto {
  @ApiProperty() @IsString() @IsNotEmpty() @notBlank('resolution') @MaxLength(4000) resolution: string;
}

export const COMPLAINT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;

export class ComplaintsQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() customerId?: string;
  @ApiPropertyOptional({ enum: COMPLAINT_STATUSES }) @IsOptional() @IsIn(COMPLAINT_STATUSES) status?: (typeof COMPLAINT_STATUSES)[number];
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false'], { message: 'slaBreached must be true or false' }) slaBreached?: 'true' | 'false';
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(300)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor this API returned' }) cursor?: string;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 }) @IsOptional() @QueryNumber() @IsInt() @Min(1) @Max(500) limit?: number;
}

export class SurveyResponseDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() customerId: string;
  @ApiProperty({ enum: SURVEY_KINDS }) @IsIn(SURVEY_KINDS) kind: SurveyKind;
  @ApiProperty({ description: 'CSAT 1–5, NPS 0–10 (checked against the kind)' }) @IsInt() score: number;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(4000) comment?: string | null;
  @ApiProperty({ example: '2026-03-01T08:00:00Z' }) @IsInstant() respondedAt: string;
}

export class SatisfactionQueryDto {
  @ApiProperty({ example: '2026-03' }) @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be a month written YYYY-MM' }) month: string;
  @ApiPropertyOptional({ enum: SATISFACTION_SEGMENTS, description: 'without it: the month as a whole' })
  @Transform(({ value }) => (value === '' ? undefined : value)) @IsOptional() @IsIn(SATISFACTION_SEGMENTS) segment?: SatisfactionSegment;
}
