import { Controller, DefaultValuePipe, Get, Inject, NotFoundException, Param, ParseIntPipe, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { PG_POOL, Roles } from '@crm/platform';
import { Pool } from 'pg';

@ApiTags('customer directory')
@ApiBearerAuth()
@Controller('v1/customers')
export class CustomerDirectoryController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  @Get(':id')
  @Roles('sales', 'account_manager', 'auditor', 'collector', 'credit_manager')
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const { rows } = await this.pool.query('SELECT doc FROM customer_directory WHERE id = $1', [id]);
    if (rows.length === 0) throw new NotFoundException(`customer ${id} is not in the directory (yet)`);
    return rows[0].doc;
  }

  @Get()
  @Roles('sales', 'account_manager', 'auditor', 'collector', 'credit_manager')
  @ApiQuery({ name: 'region', required: false })
  @ApiQuery({ name: 'limit', required: false })
  async list(@Query('region') region?: string, @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit = 100) {
    const { rows } = await this.pool.query(
      `SELECT doc FROM customer_directory WHERE ($1::text IS NULL OR region = $1)
        ORDER BY legal_name, id LIMIT $2`, [region ?? null, Math.min(Math.max(limit, 1), 500)]);
    return { items: rows.map((r) => r.doc) };
  }
}
