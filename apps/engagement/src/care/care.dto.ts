import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsBusinessDate, QueryNumber } from '@crm/platform';

export class CareHolidayDto {
  @ApiProperty({ example: 'Spring Festival' }) @IsString() @IsNotEmpty() @Matches(/\S/, { message: 'name must not be blank' }) @MaxLength(100) name: string;
  @ApiProperty({ example: ['2026-02-17', '2027-02-06'] }) @IsArray() @ArrayMaxSize(100) @IsBusinessDate({ each: true, message: 'dates must be dates written YYYY-MM-DD' })
  dates: string[];
}

export class ConfigureCareHolidaysDto {
  @ApiProperty({ type: [CareHolidayDto] }) @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => CareHolidayDto) holidays: CareHolidayDto[];
}

export class CareCalendarQueryDto {
  @ApiProperty({ example: '2026-02-01' }) @IsBusinessDate() from: string;
  @ApiProperty({ example: '2026-02-28' }) @IsBusinessDate() to: string;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' }) @IsOptional() @IsString() @MaxLength(300)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a nextCursor this API returned' }) cursor?: string;
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 500 }) @IsOptional() @QueryNumber() @IsInt() @Min(1) @Max(500) limit?: number;
}
