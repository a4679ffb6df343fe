import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CUSTOMER_KINDS } from '@crm/contracts';
import { taxIdKey } from '@crm/customers-domain';
import { PG_POOL, Roles } from '@crm/platform';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Pool } from 'pg';
import { EmailBlindIndex } from '../personal-data/email-blind-index';

export class DirectoryQueryDto {
  @ApiPropertyOptional({ description: 'Part of a company\'s legal name, a tax id, or a contact\'s whole email (matched by its blind index)' })
  @IsOptional() @IsString() @MaxLength(200) search?: string;
  @ApiPropertyOptional({ enum: CUSTOMER_KINDS }) @IsOptional() @IsIn([...CUSTOMER_KINDS]) kind?: string;
  @ApiPropertyOptional({ enum: ['A', 'B', 'C'] }) @IsOptional() @IsIn(['A', 'B', 'C']) abcClass?: string;
  @ApiPropertyOptional({ enum: ['prospect', 'new', 'repeat', 'loyal', 'at_risk', 'churned'] })
  @IsOptional() @IsIn(['prospect', 'new', 'repeat', 'loyal', 'at_risk', 'churned']) stage?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) accountManager?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) region?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) tag?: string;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional() @IsString() @Matches(/^[0-9a-f-]{36}$/, { message: 'cursor must be a nextCursor this API returned' }) cursor?: string;
  @ApiPropertyOptional({ default: 50, maximum: 200 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

/** The directory: filters, search, and keyset pages in customer-id order (stable under inserts). */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class CustomerDirectoryController {
  constructor(@Inject(PG_POOL) private readonly pool: Pool, private readonly blindIndex: EmailBlindIndex) {}

  @Get()
  @Roles('sales', 'account_manager', 'credit_manager', 'collector', 'auditor')
  async list(@Query() query: DirectoryQueryDto) {
    const limit = query.limit ?? 50;
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => { params.push(value); where.push(sql.replaceAll('$?', `$${params.length}`)); };
    if (query.kind) add('kind = $?', query.kind);
    if (query.region) add('region = $?', query.region);
    if (query.accountManager) add('account_manager = $?', query.accountManager);
    if (query.tag) add(`doc->'tags' ? $?`, query.tag.trim().toLowerCase());
    if (query.abcClass) add(`doc->>'abcClass' = $?`, query.abcClass);
    if (query.stage) add(`doc->>'stage' = $?`, query.stage);
    const search = query.search?.trim();
    if (search) {
      if (search.includes('@')) add(`doc->'emailIndexes' ? $?`, this.blindIndex.of(search));
      else {
        params.push(`%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`, taxIdKey(search));
        where.push(`(legal_name_lower LIKE $${params.length - 1} OR tax_id_key = $${params.length})`);
      }
    }
    if (query.cursor) add('id > $?', query.cursor);
    params.push(limit + 1);
    const { rows } = await this.pool.query(
      `SELECT doc FROM customers_directory ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT $${params.length}`, params);
    const page = rows.slice(0, limit).map((r) => {
      const { contactEmails: _c, emailIndexes: _e, contactCareDates: _d, careDateIndexes: _i, taxIdKey: _t, ...entry } = r.doc;
      return entry;
    });
    return { items: page, nextCursor: rows.length > limit ? page[page.length - 1].customerId : null };
  }
}
