import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID,
  Max, MaxLength, Min, ValidateIf, ValidateNested,
} from 'class-validator';
import { IsBusinessDate, IsCurrencyCode, IsDecimal, IsMinorUnits } from '@crm/platform';
import { LateEntryReason } from '../account/late-entry.dto';

export class InvoiceLineDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(500) description: string;
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) quantity: number;
  @ApiProperty({ description: 'Minor units (e.g. fen, cents); an integer', minimum: 0 }) @IsMinorUnits(0) unitPrice: number;
}

export class InstallmentDto {
  @ApiProperty({ example: '2026-02-28' }) @IsBusinessDate() dueDate: string;
  @ApiProperty({ description: 'Minor units', minimum: 1 }) @IsMinorUnits(1) amount: number;
}

export class PaymentTermsDto {
  @ApiProperty({ enum: ['net', 'installments'] }) @IsIn(['net', 'installments']) type: 'net' | 'installments';
  @ApiPropertyOptional({ description: 'For net terms' }) @ValidateIf((t) => t.type === 'net') @IsInt() @Min(0) @Max(3650) days?: number;
  @ApiPropertyOptional({ type: [InstallmentDto], description: 'For installments; amounts sum to the total' })
  @ValidateIf((t) => t.type === 'installments') @IsArray() @ArrayMinSize(1) @ArrayMaxSize(120)
  @IsObject({ each: true, message: 'each installment must be an object' }) @ValidateNested({ each: true }) @Type(() => InstallmentDto) schedule?: InstallmentDto[];
}

export class EarlyPaymentDiscountDto {
  @ApiProperty({ example: 2 }) @IsDecimal(2) @Min(0.01) @Max(100) percent: number;
  @ApiProperty({ example: 10 }) @IsInt() @Min(0) @Max(365) withinDays: number;
}

export class IssueInvoiceDto {
  @ApiProperty() @IsUUID() customerId: string;
  @ApiProperty({ example: 'CNY' }) @IsCurrencyCode() currency: string;
  @ApiProperty({ example: '2026-01-15' }) @IsBusinessDate() issueDate: string;
  @ApiProperty({ type: [InvoiceLineDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @IsObject({ each: true, message: 'each line must be an object' })
  @ValidateNested({ each: true }) @Type(() => InvoiceLineDto)
  lines: InvoiceLineDto[];
  @ApiProperty({ type: PaymentTermsDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => PaymentTermsDto) terms: PaymentTermsDto;
  @ApiPropertyOptional({ type: EarlyPaymentDiscountDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => EarlyPaymentDiscountDto)
  earlyPaymentDiscount?: EarlyPaymentDiscountDto;
  @LateEntryReason() lateEntryReason?: string;
}
