import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsObject, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';
import { IsBusinessDate, IsCurrencyCode, IsMinorUnits, QueryNumber } from '@crm/platform';
import { LateEntryReason } from '../account/late-entry.dto';

export class AllocationDto {
  @ApiProperty() @IsUUID() invoiceId: string;
  @ApiProperty({ description: 'Minor units', minimum: 1 }) @IsMinorUnits(1) amount: number;
}

const allocationsOf = (description: string) => ApiProperty({ type: [AllocationDto], description });

export class ReceivePaymentDto {
  @ApiPropertyOptional({ description: 'The payer. Optional when `remittance` names invoices of one customer (a payment from an unknown payer); otherwise 422 naming customerId' })
  @IsOptional() @IsUUID() customerId?: string;
  @ApiProperty({ description: 'Minor units', minimum: 1 }) @IsMinorUnits(1) amount: number;
  @ApiProperty({ example: 'CNY' }) @IsCurrencyCode() currency: string;
  @ApiProperty({ example: '2026-02-01' }) @IsBusinessDate() receivedOn: string;
  @ApiProperty({ example: 'bank_transfer' }) @IsString() @IsNotEmpty() @MaxLength(50) method: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) reference: string;
  @ApiPropertyOptional({ type: [AllocationDto], description: 'Without it: matched by `remittance` when sent, else oldest due first' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @IsObject({ each: true, message: 'each allocation must be an object' })
  @ValidateNested({ each: true }) @Type(() => AllocationDto)
  allocations?: AllocationDto[];
  @LateEntryReason() lateEntryReason?: string;
  @ApiPropertyOptional({ example: 'INV-000123, INV-000130 less 2%', description: "The payer's remittance text: invoice numbers are matched by number, amount and customer" })
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(2000) remittance?: string;
}

export class ReversePaymentDto {
  @ApiPropertyOptional({ example: '2026-02-03' }) @IsOptional() @IsBusinessDate() reversedOn?: string;
  @LateEntryReason() lateEntryReason?: string;
}

export class AllocatePaymentDto {
  @allocationsOf('Unapplied money of the payment to apply, per invoice (same rules as allocations at receipt)')
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @IsObject({ each: true, message: 'each allocation must be an object' })
  @ValidateNested({ each: true }) @Type(() => AllocationDto)
  allocations: AllocationDto[];
  /** A later allocation is dated today (`allocatedOn`): in a closed period only an admin may record it, with a reason. */
  @LateEntryReason() lateEntryReason?: string;
}

export class UnmatchedQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() customerId?: string;
  @ApiPropertyOptional({ example: 'CNY' }) @IsOptional() @IsCurrencyCode() currency?: string;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(200)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor this API returned' }) cursor?: string;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 100 }) @IsOptional() @QueryNumber() @IsInt() @Min(1) @Max(100) limit?: number;
}
