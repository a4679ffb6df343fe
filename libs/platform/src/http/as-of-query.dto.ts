import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional } from 'class-validator';
import { IsInstant } from './dto-validators';

/** `?asOf=<instant>`: the read model as the events recorded by then made it (400 naming `asOf` when not an instant). */
export class AsOfQueryDto {
  @ApiPropertyOptional({ example: '2026-03-01T08:00:00Z', description: 'an instant (ISO 8601 with its offset): the answer as recorded then' })
  @Transform(({ value }) => (value === '' ? undefined : value)) @IsOptional() @IsInstant() asOf?: string;
}
