import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CUSTOMER_KINDS, CustomerKind } from '@crm/contracts';
import { IsOptionalNotNull } from '@crm/platform';
import { TAX_ID_MESSAGE, TAX_ID_PATTERN } from '../update-customer/update-customer.dto';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsEmail, IsIn, IsObject, IsString, Matches, MaxLength, Validate, ValidateNested,
  ValidatorConstraint, ValidatorConstraintInterface,
} from 'class-validator';

/** A date that exists (no 1985-02-30), written YYYY-MM-DD, from 1900 on. */
@ValidatorConstraint({ name: 'isCalendarDate' })
export class IsCalendarDate implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || value < '1900-01-01') return false;
    // 2026-13-01 is no date at all (an Invalid Date, whose toISOString throws): a 400, not a 500.
    const time = Date.parse(`${value}T00:00:00Z`);
    return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
  }
}

/** E.164: a plus, then up to 15 digits, the first not 0. */
export const E164 = /^\+[1-9]\d{6,14}$/;
export const E164_MESSAGE = 'phone must be an E.164 number such as +8613800138000 (spaces, - and () are allowed between digits)';

/** An E.164 number, as people write it: spaces, hyphens and brackets between the digits are ignored. */
@ValidatorConstraint({ name: 'isE164Phone' })
export class IsE164Phone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && value.length <= 30 && E164.test(value.replace(/[ ()-]/g, ''));
  }
}

/** Personal data: sealed with the customer's key in every event, erasable. */
export class ContactDto {
  @ApiProperty({ example: 'Li Wei' }) @IsString() @Matches(/\S/, { message: 'name must not be blank' }) @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: 'CFO' }) @IsOptionalNotNull() @IsString() @MaxLength(100) role?: string;
  @ApiPropertyOptional({ example: '+86 138 0013 8000' }) @IsOptionalNotNull()
  @Validate(IsE164Phone, { message: E164_MESSAGE }) phone?: string;
  @ApiPropertyOptional({ example: 'li.wei@example.cn' }) @IsOptionalNotNull()
  @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254) email?: string;
  @ApiPropertyOptional({ example: '1980-05-17' }) @IsOptionalNotNull()
  @Validate(IsCalendarDate, { message: 'birthday must be a real date written YYYY-MM-DD, from 1900 on' }) birthday?: string;
}

export class RegisterCustomerDto {
  @ApiProperty({ enum: CUSTOMER_KINDS })
  @IsIn([...CUSTOMER_KINDS])
  kind: CustomerKind;

  @ApiProperty({ example: 'Shanghai Acme Trading Co., Ltd.' })
  @IsString() @Matches(/\S/, { message: 'legalName must not be blank' }) @MaxLength(200)
  legalName: string;

  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @MaxLength(100)
  industry?: string;

  @ApiPropertyOptional() @IsOptionalNotNull() @IsString() @MaxLength(100)
  region?: string;

  @ApiPropertyOptional({ description: 'Unique among customers (409 duplicate-tax-id)' }) @IsOptionalNotNull() @IsString()
  @Matches(TAX_ID_PATTERN, { message: TAX_ID_MESSAGE })
  taxId?: string;

  @ApiPropertyOptional({ description: 'User id of the account manager' }) @IsOptionalNotNull() @IsString() @MaxLength(100)
  accountManager?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptionalNotNull() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ type: [ContactDto], description: 'People to talk to; personal data, sealed per customer and erasable' })
  @IsOptionalNotNull() @IsArray() @ArrayMaxSize(20) @IsObject({ each: true, message: 'each contact must be an object' })
  @ValidateNested({ each: true }) @Type(() => ContactDto)
  contacts?: ContactDto[];
}

export class CustomerCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty() version: number;
}
