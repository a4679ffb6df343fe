import { LateEntryReason } from '../account/late-entry.dto';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsBusinessDate, IsMinorUnits } from '@crm/platform';

export class CreditNoteDto {
  @ApiProperty({ description: 'Minor units', minimum: 1 }) @IsMinorUnits(1) amount: number;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
  @LateEntryReason() lateEntryReason?: string;
}
export class ReasonDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}
export class ResolveDisputeDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) resolution?: string;
}
export class PromiseToPayDto {
  @ApiProperty({ example: '2026-03-01' }) @IsBusinessDate() promisedDate: string;
  @ApiProperty({ description: 'Minor units', minimum: 1 }) @IsMinorUnits(1) amount: number;
}
export class RejectWriteOffDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) reason?: string;
}
