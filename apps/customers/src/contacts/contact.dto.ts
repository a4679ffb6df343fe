import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptionalNotNull } from '@crm/platform';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, Validate } from 'class-validator';
import { IsCalendarDate } from '../register-customer/register-customer.dto';

/** E.164: a plus, then up to 15 digits, the first not 0. */
export const E164 = /^\+[1-9]\d{6,14}$/;
const E164_MESSAGE = 'phone must be an E.164 number such as +8613800138000';

/** Personal data: sealed with the customer's key in the event, erasable. */
export class AddContactDto {
  @ApiProperty({ example: 'Li Wei' }) @IsString() @Matches(/\S/, { message: 'name must not be blank' }) @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: 'CFO' }) @IsOptionalNotNull() @IsString() @MaxLength(100) role?: string;
  @ApiPropertyOptional({ example: '+8613800138000' }) @IsOptionalNotNull() @IsString() @Matches(E164, { message: E164_MESSAGE }) phone?: string;
  @ApiPropertyOptional({ example: 'li.wei@example.cn' }) @IsOptionalNotNull()
  @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254) email?: string;
  @ApiPropertyOptional({ example: '1980-05-17' }) @IsOptionalNotNull()
  @Validate(IsCalendarDate, { message: 'birthday must be a real date written YYYY-MM-DD, from 1900 on' }) birthday?: string;
}

/** JSON merge patch of a contact: absent = unchanged, null clears an optional field. */
export class UpdateContactDto {
  @ApiPropertyOptional({ example: 'Li Wei' }) @IsOptionalNotNull() @IsString() @Matches(/\S/, { message: 'name must not be blank' }) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(100) role?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @Matches(E164, { message: E164_MESSAGE }) phone?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254) email?: string | null;
  @ApiPropertyOptional({ nullable: true }) @IsOptional()
  @Validate(IsCalendarDate, { message: 'birthday must be a real date written YYYY-MM-DD, from 1900 on' }) birthday?: string | null;
}

export class ContactCreatedDto {
  @ApiProperty() contactId: string;
  @ApiProperty() version: number;
}
