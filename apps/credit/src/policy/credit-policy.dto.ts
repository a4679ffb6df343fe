import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { IsMinorUnits } from '@crm/platform';

const Weight = () => (object: object, property: string) => {
  IsOptional()(object, property);
  IsInt()(object, property);
  Min(0)(object, property);
  Max(100)(object, property);
};
const Cutoff = () => (object: object, property: string) => {
  IsOptional()(object, property);
  IsInt()(object, property);
  Min(1)(object, property);
  Max(100)(object, property);
};
const TermsDays = () => (object: object, property: string) => {
  IsOptional()(object, property);
  IsInt()(object, property);
  Min(0)(object, property);
  Max(365)(object, property);
};

export class ScoringWeightsDto {
  @ApiPropertyOptional({ example: 30 }) @Weight() onTimeRatio?: number;
  @ApiPropertyOptional({ example: 15 }) @Weight() averageDaysBeyondTerms?: number;
  @ApiPropertyOptional({ example: 10 }) @Weight() worstDaysOverdue?: number;
  @ApiPropertyOptional({ example: 10 }) @Weight() writeOffs?: number;
  @ApiPropertyOptional({ example: 10 }) @Weight() annualRevenue?: number;
  @ApiPropertyOptional({ example: 10 }) @Weight() debtRatio?: number;
  @ApiPropertyOptional({ example: 10 }) @Weight() currentRatio?: number;
  @ApiPropertyOptional({ example: 5 }) @Weight() yearsInBusiness?: number;
}

export class GradeCutoffsDto {
  @ApiPropertyOptional({ example: 80 }) @Cutoff() A?: number;
  @ApiPropertyOptional({ example: 65 }) @Cutoff() B?: number;
  @ApiPropertyOptional({ example: 50 }) @Cutoff() C?: number;
}

export class TermsByGradeDto {
  @ApiPropertyOptional({ example: 60 }) @TermsDays() A?: number;
  @ApiPropertyOptional({ example: 45 }) @TermsDays() B?: number;
  @ApiPropertyOptional({ example: 30 }) @TermsDays() C?: number;
  @ApiPropertyOptional({ example: 0, description: '0: no credit (cash in advance)' }) @TermsDays() D?: number;
}

export class HoldRulesDto {
  @ApiPropertyOptional({ example: true }) @IsOptional() @IsBoolean() exposureOverLimit?: boolean;
  @ApiPropertyOptional({ example: 60, description: 'hold when an invoice is more than this many days overdue' }) @IsOptional() @IsInt() @Min(0) @Max(3650) maxDaysOverdue?: number;
  @ApiPropertyOptional({ example: 3, minimum: 1, maximum: 5, description: 'hold from this dunning level (receivables dunns at levels 1–5)' }) @IsOptional() @IsInt() @Min(1) @Max(5) dunningLevel?: number;
}

/** Any part of the rules; what is left out keeps its current value. The result must add up (weights to 100, cut-offs falling). */
export class CreditPolicyDto {
  @ApiPropertyOptional({ type: ScoringWeightsDto, description: 'points per factor; they add up to 100' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => ScoringWeightsDto) scoringWeights?: ScoringWeightsDto;
  @ApiPropertyOptional({ type: GradeCutoffsDto, description: 'lowest score of grades A, B and C (D is below C)' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => GradeCutoffsDto) gradeCutoffs?: GradeCutoffsDto;
  @ApiPropertyOptional({ type: TermsByGradeDto, description: 'longest payment terms per grade, in days' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => TermsByGradeDto) maxPaymentTermsDays?: TermsByGradeDto;
  @ApiPropertyOptional({ example: 100_000_000, description: 'limits above this (minor units) need a second approver' })
  @IsOptional() @IsMinorUnits(0) secondApproverThreshold?: number;
  @ApiPropertyOptional({ type: HoldRulesDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => HoldRulesDto) holdRules?: HoldRulesDto;
  @ApiPropertyOptional({ example: 12 }) @IsOptional() @IsInt() @Min(1) @Max(120) reviewIntervalMonths?: number;
}
