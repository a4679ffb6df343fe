import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptionalNotNull } from '@crm/platform';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, Validate } from 'class-validator';
import { E164_MESSAGE, IsCalendarDate, IsE164Phone } from '../register-customer/register-customer.dto';

/** Personal data: sealed with the customer's key in the event, erasable. */
export class AddContactDto {
  @ApiProperty({ example: 'Li Wei' }) @IsString() @Matches(/\S/, { message: 'name must not be blank' }) @MaxLength(200) name: string;
  @ApiPropertyOptional({ example: 'CFO' }) @IsOptionalNotNull() @IsString() @MaxLength(100) role?: string;
  @ApiPropertyOptional({ example: '+8613800138000' }) @IsOptionalNotNull() @IsString() @Validate(IsE164Phone, { message: E164_MESSAGE }) phone?: string;
  @ApiPropertyOptional({ example: 'li.wei@example.cn' }) @IsOptionalNotNull()
  @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254) email?: string;
  @ApiPropertyOptional({ example: '1980-05-17' }) @IsOptionalNotNull()
  @Validate(IsCalendarDate, { message: 'birthday must be a real date written YYYY-MM-DD, from 1900 on' }) birthday?: string;
}

/** JSON merge patch of a contact: absent = unchanged, null clears an optional field. */
export class UpdateContactDto {
  @ApiPropertyOptional({ example: 'Li Wei' }) @IsOptionalNotNull() @IsString() @Matches(/\S/, { message: 'name must not be blank' }) @MaxLength(200) name?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(100) role?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @Validate(IsE164Phone, { message: E164_MESSAGE }) phone?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional()
  @IsEmail({}, { message: 'email must be an email address' }) @MaxLength(254) email?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional()
  @Validate(IsCalendarDate, { message: 'birthday must be a real date written YYYY-MM-DD, from 1900 on' }) birthday?: string | null;
}

export class ContactCreatedDto {
  @ApiProperty() contactId: string;
  @ApiProperty() version: number;
}
