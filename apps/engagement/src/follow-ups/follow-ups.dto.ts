import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { INTERACTION_CHANNELS, InteractionChannel } from '@crm/contracts';
import { IsBusinessDate, IsInstant, QueryNumber } from '@crm/platform';

const notBlank = (field: string) => Matches(/\S/, { message: `${field} must not be blank` });
const CURSOR = /^[A-Za-z0-9_-]+$/;

export class RecordInteractionDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() customerId: string;
  @ApiProperty({ enum: INTERACTION_CHANNELS }) @IsIn(INTERACTION_CHANNELS) channel: InteractionChannel;
  @ApiProperty({ enum: ['inbound', 'outbound'] }) @IsIn(['inbound', 'outbound']) direction: 'inbound' | 'outbound';
  @ApiProperty() @IsString() @IsNotEmpty() @notBlank('subject') @MaxLength(500) subject: string;
  @ApiProperty() @IsString() @IsNotEmpty() @notBlank('outcome') @MaxLength(4000) outcome: string;
  @ApiProperty({ example: '2026-03-01T08:00:00Z' }) @IsInstant() occurredAt: string;
  @ApiPropertyOptional({ type: String, format: 'date', example: '2026-03-08', nullable: true, description: 'schedules a follow-up due that date' })
  @ValidateIf((o) => o.nextFollowUpOn !== undefined && o.nextFollowUpOn !== null) @IsBusinessDate() nextFollowUpOn?: string | null;
}

export class PageQueryDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(300)
  @Matches(CURSOR, { message: 'cursor must be a nextCursor this API returned' }) cursor?: string;
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 }) @IsOptional() @QueryNumber() @IsInt() @Min(1) @Max(500) limit?: number;
}

export const FOLLOW_UP_STATUSES = ['due', 'missed', 'done'] as const;

export class FollowUpsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) accountManager?: string;
  @ApiPropertyOptional({ enum: FOLLOW_UP_STATUSES }) @IsOptional() @IsIn(FOLLOW_UP_STATUSES) status?: (typeof FOLLOW_UP_STATUSES)[number];
  @ApiPropertyOptional({ example: '2026-03-31', description: 'due strictly before this date' }) @IsOptional() @IsBusinessDate() dueBefore?: string;
}
