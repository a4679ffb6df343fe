import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { AsOfQueryDto, QueryNumber } from '@crm/platform';

/** `asOf`: the list as the events recorded by then made it (AsOfQueryDto's instant). */
export class ChurnRiskQueryDto extends AsOfQueryDto {
  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 100, description: 'only customers scoring at least this' })
  @IsOptional() @QueryNumber() @IsInt() @Min(0) @Max(100) minScore?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(300)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor this API returned' }) cursor?: string;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 }) @IsOptional() @QueryNumber() @IsInt() @Min(1) @Max(500) limit?: number;
}

const Points = (minimum = 0) => (object: object, property: string) => {
  IsOptional()(object, property);
  IsInt()(object, property);
  Min(minimum)(object, property);
  Max(100)(object, property);
};

export class ChurnWeightsDto {
  @ApiPropertyOptional({ example: 20 }) @Points() 'purchase-frequency-drop'?: number;
  @ApiPropertyOptional({ example: 25 }) @Points() 'spend-drop'?: number;
  @ApiPropertyOptional({ example: 20 }) @Points() 'low-satisfaction'?: number;
  @ApiPropertyOptional({ example: 20 }) @Points() 'complaint-past-sla'?: number;
  @ApiPropertyOptional({ example: 15 }) @Points() 'no-recent-interaction'?: number;
}

/** Any part of the rules; what is left out keeps its current value. Weights must add up to 100, clearBelow ≤ flagAt. */
export class ChurnPolicyDto {
  @ApiPropertyOptional({ type: ChurnWeightsDto, description: 'points per signal; they add up to 100' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ChurnWeightsDto) weights?: ChurnWeightsDto;
  @ApiPropertyOptional({ example: 60, minimum: 1, description: 'a score at or above this flags the customer' }) @Points(1) flagAt?: number;
  @ApiPropertyOptional({ example: 40, minimum: 1, description: 'a flagged customer\'s flag clears below this (at most flagAt)' }) @Points(1) clearBelow?: number;
}
