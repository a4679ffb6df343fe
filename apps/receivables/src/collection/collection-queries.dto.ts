import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { QueryNumber } from '@crm/platform';
import { IsBusinessDate, IsCurrencyCode, IsInstant } from '@crm/platform';
import { WORKLIST_SEGMENTS, WorklistSegment } from '@crm/receivables-domain';

/** `?asOf=`: a past business date; without it (or empty), the last closed one. */
export class AsOfQueryDto {
  @ApiPropertyOptional({ example: '2026-03-31' }) @Transform(({ value }) => (value === '' ? undefined : value)) @IsOptional() @IsBusinessDate()
  asOf?: string;
}

export class AgingQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() customerId?: string;
  @ApiPropertyOptional({ example: 'CNY' }) @IsOptional() @IsCurrencyCode() currency?: string;
}

export class OverdueQueryDto extends AgingQueryDto {
  @ApiPropertyOptional({ default: 1, minimum: 0 }) @IsOptional() @QueryNumber() @IsInt() @Min(0) @Max(100_000) minDaysOverdue?: number;
  @ApiPropertyOptional({ minimum: 0, maximum: 5 }) @IsOptional() @QueryNumber() @IsInt() @Min(0) @Max(5) dunningLevel?: number;
  @ApiPropertyOptional({ enum: ['amount', 'days'], default: 'days' }) @IsOptional() @IsIn(['amount', 'days']) sort?: 'amount' | 'days';
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(100)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor this API returned' }) cursor?: string;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 }) @IsOptional() @QueryNumber() @IsInt() @Min(1) @Max(500) limit?: number;
}

export class WorklistQueryDto {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 500 }) @IsOptional() @QueryNumber() @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ enum: WORKLIST_SEGMENTS, description: 'only the overdue invoices the versioned segment rules place in this segment; each row names the rule' })
  @IsOptional() @IsIn(WORKLIST_SEGMENTS) segment?: WorklistSegment;
}

export class StatementQueryDto {
  @ApiProperty({ example: '2026-01-01' }) @IsBusinessDate() from: string;
  @ApiProperty({ example: '2026-03-31' }) @IsBusinessDate() to: string;
  @ApiPropertyOptional({ example: '2026-04-01T08:00:00Z', description: 'an instant: the statement as recorded then (events recorded after it left out)' })
  @Transform(({ value }) => (value === '' ? undefined : value)) @IsOptional() @IsInstant() asOf?: string;
}

export class MetricsQueryDto {
  @ApiProperty({ example: '2026-01' }) @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'period must be a month written YYYY-MM' }) period: string;
}
