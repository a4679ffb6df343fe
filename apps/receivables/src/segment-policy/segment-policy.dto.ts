import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { IsDecimal, IsMinorUnits } from '@crm/platform';

export class UsuallyPaysDto {
  @ApiProperty({ example: 3, description: 'paid invoices on record, at least' }) @IsInt() @Min(1) @Max(1_000) minPaidInvoices: number;
  @ApiProperty({ example: 5, description: 'their median days late, at most' }) @IsInt() @Min(0) @Max(3_650) maxMedianDaysLate: number;
}
export class SmallBalanceDto {
  @ApiProperty({ example: 100_000, description: 'the invoice outstanding, at most (minor units)' }) @IsMinorUnits(0) maxOutstanding: number;
}
export class NearLimitDto {
  @ApiProperty({ example: 0.8, description: 'open amount ÷ credit limit, at least (0 < x ≤ 1)' })
  @IsDecimal(4) @Min(0.0001) @Max(1) minUtilization: number;
}
export class SeveralDunningLevelsDto {
  @ApiProperty({ example: 3, description: 'the invoice dunning level, at least' }) @IsInt() @Min(1) @Max(5) minLevel: number;
}
export class HabituallyLateDto {
  @ApiProperty({ example: 3, description: 'paid invoices on record, at least' }) @IsInt() @Min(1) @Max(1_000) minPaidInvoices: number;
  @ApiProperty({ example: 30, description: 'their median days late, at least (more than usuallyPays.maxMedianDaysLate)' }) @IsInt() @Min(1) @Max(3_650) minMedianDaysLate: number;
}

const part = <T>(type: new () => T) => [ApiProperty({ type }), IsObject(), ValidateNested(), Type(() => type)];
const apply = (decorators: PropertyDecorator[]): PropertyDecorator => (target, key) => decorators.forEach((d) => d(target, key));

/** The whole rule set: every PUT replaces it, and is a new version when a threshold differs. */
export class SegmentPolicyDto {
  @apply(part(UsuallyPaysDto)) usuallyPays: UsuallyPaysDto;
  @apply(part(SmallBalanceDto)) smallBalance: SmallBalanceDto;
  @apply(part(NearLimitDto)) nearLimit: NearLimitDto;
  @apply(part(SeveralDunningLevelsDto)) severalDunningLevels: SeveralDunningLevelsDto;
  @apply(part(HabituallyLateDto)) habituallyLate: HabituallyLateDto;
}
