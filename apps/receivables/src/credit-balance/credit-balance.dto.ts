import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsCurrencyCode, IsMinorUnits } from '@crm/platform';
import { LateEntryReason } from '../account/late-entry.dto';

export class RefundDto {
  @ApiProperty({ description: 'Minor units; at most the credit balance in the currency', minimum: 1 }) @IsMinorUnits(1) amount: number;
  @ApiProperty({ example: 'CNY' }) @IsCurrencyCode() currency: string;
  @ApiProperty({ example: 'REF-2026-0042', description: 'The payout reference (bank transfer, cheque number)' })
  @IsString() @IsNotEmpty() @MaxLength(200) reference: string;
  /** A refund is dated today (`refundedOn`): in a closed period only an admin may record it, with a reason. */
  @LateEntryReason() lateEntryReason?: string;
}

export class ReceivablesPolicyDto {
  @ApiProperty({ description: "Apply the customer's credit balance to its open invoices, oldest due first, whenever an invoice is issued (default false)" })
  @IsBoolean() autoApplyCredit: boolean;
}
