import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsBusinessDate, IsDecimal, IsInstant, IsMinorUnits, QueryNumber } from '@crm/platform';

export class CustomerParamDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() customerId: string;
}

export class FinancialsDto {
  @ApiProperty({ description: 'Minor units, an integer', example: 5_000_000_000 }) @IsMinorUnits(0) annualRevenue: number;
  @ApiProperty({ minimum: 0, maximum: 10, example: 0.8 }) @IsDecimal(4) @Min(0) @Max(10) debtRatio: number;
  @ApiProperty({ minimum: 0, maximum: 100, example: 1.6 }) @IsDecimal(4) @Min(0) @Max(100) currentRatio: number;
  @ApiProperty({ minimum: 0, maximum: 500, example: 12 }) @IsInt() @Min(0) @Max(500) yearsInBusiness: number;
  @ApiProperty({ example: '2025-12-31', description: 'the date the figures describe' }) @IsBusinessDate() asOf: string;
}

export class ReasonDto {
  @ApiProperty() @IsString() @IsNotEmpty() @Matches(/\S/, { message: 'reason must not be blank' }) @MaxLength(500) reason: string;
}

export class AsOfQueryDto {
  @ApiPropertyOptional({ example: '2026-03-01T08:00:00Z', description: 'the position as recorded at this instant' })
  @Transform(({ value }) => (value === '' ? undefined : value)) @IsOptional() @IsInstant() asOf?: string;
}

export class PageQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(300)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor this API returned' }) cursor?: string;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 }) @IsOptional() @QueryNumber() @IsInt() @Min(1) @Max(500) limit?: number;
}
