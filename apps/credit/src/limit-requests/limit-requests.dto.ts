import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsCurrencyCode, IsMinorUnits } from '@crm/platform';
import { PageQueryDto } from '../customers/customers.dto';

export class RequestLimitDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() customerId: string;
  @ApiProperty({ description: 'Minor units, an integer', example: 50_000_000 }) @IsMinorUnits(1) amount: number;
  @ApiProperty({ example: 'CNY' }) @IsCurrencyCode() currency: string;
  @ApiProperty({ minimum: 0, maximum: 365, example: 30 }) @IsInt() @Min(0) @Max(365) paymentTermsDays: number;
  @ApiProperty() @IsString() @IsNotEmpty() @Matches(/\S/, { message: 'reason must not be blank' }) @MaxLength(500) reason: string;
}

export class RequestParamDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() id: string;
}

export class ApproveLimitDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/\S/, { message: 'reason must not be blank' }) @MaxLength(500) reason?: string;
}

export const REQUEST_STATUSES = ['pending', 'awaiting-second-approval', 'approved', 'rejected'] as const;

export class LimitRequestsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: REQUEST_STATUSES, description: 'default: pending and awaiting-second-approval (what waits for an approver)' })
  @IsOptional() @IsIn(REQUEST_STATUSES) status?: (typeof REQUEST_STATUSES)[number];
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() customerId?: string;
}
