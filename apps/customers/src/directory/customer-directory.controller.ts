import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { cloudEventSource, CUSTOMER_KINDS } from '@crm/contracts';
import { DirectoryEntry, taxIdKey } from '@crm/customers-domain';
import { documentsAsOf, PostgresEventStore } from '@crm/eventing';
import { Answers, EVENT_STORE, IsInstant, PG_POOL, Roles } from '@crm/platform';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Pool } from 'pg';
import { EmailBlindIndex } from '../personal-data/email-blind-index';
import { customersDirectoryProjection } from './customer-directory.projection';
import { DirectoryEntryDto } from '../answers/customer-answers.dto';

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
  @ApiPropertyOptional({ example: '2026-03-01T08:00:00Z', description: 'an instant: the directory as recorded then (a page may then hold fewer than limit entries; follow nextCursor)' })
  @Transform(({ value }) => (value === '' ? undefined : value)) @IsOptional() @IsInstant() asOf?: string;
}

/** The directory: filters, search, and keyset pages in customer-id order (stable under inserts). */
@ApiTags('customers')
@ApiBearerAuth()
@Controller('v1/customers')
export class CustomerDirectoryController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly blindIndex: EmailBlindIndex,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
  ) {}

  @Answers(DirectoryEntryDto, { page: true, summary: 'Search and filter the customer directory, in keyset pages' })
  @Get()
  @Roles('sales', 'account_manager', 'credit_manager', 'collector', 'auditor')
  async list(@Query() query: DirectoryQueryDto) {
    if (query.asOf) return this.listAsOf(query, query.asOf);
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
    const page = rows.slice(0, limit).map((r) => publicEntry(r.doc));
    return { items: page, nextCursor: rows.length > limit ? page[page.length - 1].customerId : null };
  }

  /**
   * As recorded at an instant: customers in id order, each entry folded from its events
   * recorded by then (the directory's own evolve), filtered as the live query filters. Each
   * request folds at most SCAN customers, so a selective filter answers a short page with a
   * cursor rather than reading the whole history.
   */
  private async listAsOf(query: DirectoryQueryDto, asOf: string) {
    const limit = query.limit ?? 50;
    const scan = Math.max(AS_OF_SCAN, limit);
    const { rows } = await this.pool.query('SELECT id FROM customers_directory WHERE id > $1 ORDER BY id LIMIT $2', [query.cursor ?? '', scan]);
    const ids: string[] = rows.map((r) => r.id);
    const docs = await documentsAsOf(this.store, customersDirectoryProjection(''), ids, new Date(asOf).toISOString(), cloudEventSource('customers'));
    const matches = this.matcher(query);
    const items: DirectoryEntry[] = [];
    let last: string | undefined;
    for (const id of ids) {
      const doc = docs.get(id);
      last = id;
      if (doc && matches(doc)) items.push(doc);
      if (items.length === limit) break;
    }
    const more = ids.length === scan || last !== ids[ids.length - 1];
    return { asOf, items: items.map(publicEntry), nextCursor: more && last ? last : null };
  }

  /** The live query's filters, on an entry in memory. */
  private matcher(query: DirectoryQueryDto): (entry: DirectoryEntry) => boolean {
    const search = query.search?.trim();
    const emailIndex = search?.includes('@') ? this.blindIndex.of(search) : undefined;
    const tag = query.tag?.trim().toLowerCase();
    return (e) => (!query.kind || e.kind === query.kind) && (!query.region || e.region === query.region)
      && (!query.accountManager || e.accountManager === query.accountManager) && (!tag || e.tags.includes(tag))
      && (!query.abcClass || e.abcClass === query.abcClass) && (!query.stage || e.stage === query.stage)
      && (!search || (emailIndex ? e.emailIndexes.includes(emailIndex)
        : (e.legalName ?? '').toLowerCase().includes(search.toLowerCase()) || e.taxIdKey === taxIdKey(search)));
  }
}

/** Blind indexes stay inside: they are for lookups, not for readers. */
function publicEntry(doc: DirectoryEntry) {
  const { contactEmails: _c, emailIndexes: _e, contactCareDates: _d, careDateIndexes: _i, taxIdKey: _t, ...entry } = doc;
  return entry;
}

const AS_OF_SCAN = 500;
