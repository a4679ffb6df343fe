import { ApiPropertyOptional } from '@nestjs/swagger';
import { TIMELINE_SERVICES } from '@crm/customers-domain';
import { IsInstant } from '@crm/platform';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

const blankToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

export class TimelinePageDto {
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional() @IsString() @MaxLength(400) cursor?: string;
  @ApiPropertyOptional({ default: 100, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class HistoryQueryDto extends TimelinePageDto {
  @ApiPropertyOptional({ enum: TIMELINE_SERVICES, description: 'only the events this service recorded' })
  @Transform(blankToUndefined) @IsOptional() @IsIn([...TIMELINE_SERVICES]) service?: string;
  @ApiPropertyOptional({ example: 'PaymentReceived', description: 'only events of this type' })
  @Transform(blankToUndefined) @IsOptional() @IsString() @Matches(/^[A-Z][A-Za-z0-9]{0,99}$/, { message: 'type must be an event type such as PaymentReceived' }) type?: string;
  @ApiPropertyOptional({ example: '2026-11-01T00:00:00Z', description: 'only events recorded at or after this instant' })
  @Transform(blankToUndefined) @IsOptional() @IsInstant() from?: string;
  @ApiPropertyOptional({ example: '2026-12-01T00:00:00Z', description: 'only events recorded at or before this instant' })
  @Transform(blankToUndefined) @IsOptional() @IsInstant() to?: string;
}
