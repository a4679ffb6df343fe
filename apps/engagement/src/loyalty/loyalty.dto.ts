import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { LOYALTY_TIERS, LoyaltyTier } from '@crm/contracts';
import { IsBusinessDateOrInstant, QueryNumber } from '@crm/platform';

export class LoyaltyCustomerParamDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() customerId: string;
}

export class LoyaltyAsOfQueryDto {
  @ApiPropertyOptional({ example: '2026-06-30', description: 'a business date: the loyalty from the events dated on or before it; or an instant (2026-06-30T08:00:00Z): as recorded then, on that instant\'s business date' })
  @Transform(({ value }) => (value === '' ? undefined : value)) @IsOptional() @IsBusinessDateOrInstant() asOf?: string;
}

export class RedeemPointsDto {
  @ApiProperty({ example: 500, minimum: 1, description: 'a positive whole number of points' })
  @IsInt({ message: 'points must be a positive integer' }) @Min(1, { message: 'points must be a positive integer' })
  @Max(Number.MAX_SAFE_INTEGER) points: number;
  @ApiProperty({ example: 'tea set gift' }) @IsString() @IsNotEmpty() @Matches(/\S/, { message: 'reason must not be blank' }) @MaxLength(500) reason: string;
}

export class TierParamDto {
  @ApiProperty({ enum: LOYALTY_TIERS }) @IsIn([...LOYALTY_TIERS], { message: `tier must be one of ${LOYALTY_TIERS.join(', ')}` }) tier: LoyaltyTier;
}

export class TierPageQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(300)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor this API returned' }) cursor?: string;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 }) @IsOptional() @QueryNumber() @IsInt() @Min(1) @Max(500) limit?: number;
}

const Units = () => (object: object, property: string) => {
  IsOptional()(object, property);
  IsInt()(object, property);
  Min(1)(object, property);
  Max(1_000_000_000_000)(object, property);
};

export class RatesDto {
  @ApiPropertyOptional({ example: 100, description: 'points per 100 whole units paid on or before the due date' }) @IsOptional() @IsInt() @Min(0) @Max(1000) onTimePercent?: number;
  @ApiPropertyOptional({ example: 50, description: 'points per 100 whole units paid late (rounded down)' }) @IsOptional() @IsInt() @Min(0) @Max(1000) latePercent?: number;
}

export class ThresholdsDto {
  @ApiPropertyOptional({ example: 50_000 }) @Units() Silver?: number;
  @ApiPropertyOptional({ example: 200_000 }) @Units() Gold?: number;
  @ApiPropertyOptional({ example: 1_000_000 }) @Units() Platinum?: number;
}

export class CurrencyThresholdsDto {
  @ApiProperty({ example: 'USD' }) @IsString() @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' }) currency: string;
  @ApiProperty({ example: 7_000 }) @IsInt() @Min(1) @Max(1_000_000_000_000) Silver: number;
  @ApiProperty({ example: 28_000 }) @IsInt() @Min(1) @Max(1_000_000_000_000) Gold: number;
  @ApiProperty({ example: 140_000 }) @IsInt() @Min(1) @Max(1_000_000_000_000) Platinum: number;
}

/** Any part of the rules; what is left out keeps its current value (`currencyThresholds`, when sent, replaces the list). */
export class LoyaltyPolicyDto {
  @ApiPropertyOptional({ type: RatesDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => RatesDto) rates?: RatesDto;
  @ApiPropertyOptional({ type: ThresholdsDto, description: 'whole currency units of trailing-12-month payments per tier' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ThresholdsDto) thresholds?: ThresholdsDto;
  @ApiPropertyOptional({ type: [CurrencyThresholdsDto], description: 'thresholds of their own for some currencies' })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => CurrencyThresholdsDto) currencyThresholds?: CurrencyThresholdsDto[];
  @ApiPropertyOptional({ example: 24 }) @IsOptional() @IsInt() @Min(1) @Max(240) expiryMonths?: number;
  @ApiPropertyOptional({ example: 30 }) @IsOptional() @IsInt() @Min(1) @Max(366) downgradeGraceDays?: number;
}
