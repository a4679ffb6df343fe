import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { IsInstant } from '@crm/platform';

export class OverviewQueryDto {
  @ApiPropertyOptional({ example: '2026-11-30T12:00:00Z', description: 'An instant (ISO 8601 with its offset): the overview as recorded then' })
  @Transform(({ value }) => (value === '' ? undefined : value)) @IsOptional() @IsInstant() asOf?: string;
}
