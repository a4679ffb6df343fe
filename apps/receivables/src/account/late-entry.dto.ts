import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** `lateEntryReason`: lets an admin post into a closed accounting period; recorded on the event as `lateEntry`. */
export function LateEntryReason() {
  return applyDecorators(
    ApiPropertyOptional({ description: 'Only for an entry dated in a closed period, role admin: why it is entered late (recorded)', maxLength: 500 }),
    IsOptional(), IsString(), Matches(/\S/, { message: 'lateEntryReason must not be blank' }), MaxLength(500),
  );
}
