import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CUSTOMER_KINDS, CustomerKind } from '@crm/contracts';
import { ArrayMaxSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export class RegisterCustomerDto {
  @ApiProperty({ enum: CUSTOMER_KINDS })
  @IsIn([...CUSTOMER_KINDS])
  kind: CustomerKind;

  @ApiProperty({ example: 'Shanghai Acme Trading Co., Ltd.' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  legalName: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100)
  industry?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100)
  region?: string;

  @ApiPropertyOptional({ description: 'Companies only' }) @IsOptional() @IsString() @MaxLength(50)
  taxId?: string;

  @ApiPropertyOptional({ description: 'User id of the account manager' }) @IsOptional() @IsString() @MaxLength(100)
  accountManager?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(50, { each: true })
  tags?: string[];
}

export class CustomerCreatedDto {
  @ApiProperty() id: string;
  @ApiProperty() version: number;
}
