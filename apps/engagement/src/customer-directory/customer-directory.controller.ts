import { Controller, Get, Inject, NotFoundException, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PG_POOL, QueryNumber, Roles, UuidParam, Answers } from '@crm/platform';
import { Pool } from 'pg';
import { ENGAGEMENT_READERS } from '../engagement-roles';
import { DIRECTORY_ENTRY, DIRECTORY_LIST } from '../answers/engagement-answers';

export class DirectoryQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) region?: string;
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 500 }) @IsOptional() @QueryNumber() @IsInt() @Min(1) @Max(500) limit?: number;
}

@ApiTags('customer directory')
@ApiBearerAuth()
@Controller('v1/customers')
export class CustomerDirectoryController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Answers(DIRECTORY_ENTRY, { summary: 'A customer as engagement knows it (its copy of the directory)', problems: { 404: ['not-found'] } })
  @Get(':id')
  @Roles(...ENGAGEMENT_READERS)
  async get(@UuidParam('id') id: string) {
    const { rows } = await this.pool.query('SELECT doc FROM customer_directory WHERE id = $1', [id]);
    if (rows.length === 0) throw new NotFoundException(`customer ${id} is not in the directory (yet)`);
    return rows[0].doc;
  }

  @Answers(DIRECTORY_LIST, { summary: 'Customers engagement knows, by region' })
  @Get()
  @Roles(...ENGAGEMENT_READERS)
  async list(@Query() { region, limit = 100 }: DirectoryQueryDto) {
    const { rows } = await this.pool.query(
      `SELECT doc FROM customer_directory WHERE ($1::text IS NULL OR region = $1)
        ORDER BY legal_name, id LIMIT $2`, [region ?? null, limit]);
    return { items: rows.map((r) => r.doc) };
  }
}
