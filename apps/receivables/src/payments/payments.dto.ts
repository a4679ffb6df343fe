import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsObject, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { IsBusinessDate, IsCurrencyCode, IsMinorUnits } from '@crm/platform';
import { LateEntryReason } from '../account/late-entry.dto';

export class AllocationDto {
  @ApiProperty() @IsUUID() invoiceId: string;
  @ApiProperty({ description: 'Minor units', minimum: 1 }) @IsMinorUnits(1) amount: number;
}

export class ReceivePaymentDto {
  @ApiProperty() @IsUUID() customerId: string;
  @ApiProperty({ description: 'Minor units', minimum: 1 }) @IsMinorUnits(1) amount: number;
  @ApiProperty({ example: 'CNY' }) @IsCurrencyCode() currency: string;
  @ApiProperty({ example: '2026-02-01' }) @IsBusinessDate() receivedOn: string;
  @ApiProperty({ example: 'bank_transfer' }) @IsString() @IsNotEmpty() @MaxLength(50) method: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) reference: string;
  @ApiPropertyOptional({ type: [AllocationDto], description: 'Without it: oldest due first' })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @IsObject({ each: true, message: 'each allocation must be an object' })
  @ValidateNested({ each: true }) @Type(() => AllocationDto)
  allocations?: AllocationDto[];
  @LateEntryReason() lateEntryReason?: string;
}

export class ReversePaymentDto {
  @ApiPropertyOptional({ example: '2026-02-03' }) @IsOptional() @IsBusinessDate() reversedOn?: string;
  @LateEntryReason() lateEntryReason?: string;
}
