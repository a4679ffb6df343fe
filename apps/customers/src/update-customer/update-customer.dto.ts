import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CONSENT_CHANNELS } from '@crm/contracts';
import { IsOptionalNotNull } from '@crm/platform';
import { ArrayMaxSize, IsArray, IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Letters and digits, optionally grouped by spaces, dots or dashes (a unified social credit code, a VAT number). */
export const TAX_ID_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9 .-]{3,48})[A-Za-z0-9]$/;
export const TAX_ID_MESSAGE = 'taxId must be 5-50 letters and digits, optionally grouped by spaces, dots or dashes';

/** JSON merge patch (RFC 7396): an absent field is unchanged, null clears an optional one. */
export class UpdateCustomerDto {
  @ApiPropertyOptional({ example: 'Shanghai Acme Trading Co., Ltd.' })
  @IsOptionalNotNull() @IsString() @Matches(/\S/, { message: 'legalName must not be blank' }) @MaxLength(200)
  legalName?: string;

  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(100) industry?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(100) region?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Unique among customers (409 duplicate-tax-id)' })
  @IsOptional() @IsString() @Matches(TAX_ID_PATTERN, { message: TAX_ID_MESSAGE })
  taxId?: string | null;

  @ApiPropertyOptional({ type: [String], nullable: true, description: 'Replaces the tags (a merge patch replaces arrays)' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(50, { each: true })
  tags?: string[] | null;
}

export class ConsentDto {
  @ApiProperty() @IsBoolean() email: boolean;
  @ApiProperty() @IsBoolean() sms: boolean;
  @ApiProperty() @IsBoolean() phone: boolean;
  @ApiProperty() @IsBoolean() wechat: boolean;

  @ApiProperty({ example: 'signed contract', description: 'Where the consent comes from (web form, signed contract…)' })
  @IsString() @Matches(/\S/, { message: 'source must not be blank' }) @MaxLength(200)
  source: string;
}

export const CONSENT_FIELDS = [...CONSENT_CHANNELS, 'source'];

export class AccountManagerDto {
  @ApiProperty({ description: 'User id of the account manager' })
  @IsString() @Matches(/\S/, { message: 'accountManager must not be blank' }) @MaxLength(100)
  accountManager: string;
}

export class ArchiveCustomerDto {
  @ApiProperty({ example: 'relationship ended' })
  @IsString() @IsNotEmpty() @Matches(/\S/, { message: 'reason must not be blank' }) @MaxLength(500)
  reason: string;
}

export class CustomerVersionDto {
  @ApiProperty() id: string;
  @ApiProperty() version: number;
}
