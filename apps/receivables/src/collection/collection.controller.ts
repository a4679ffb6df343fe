import { BadRequestException, Controller, DefaultValuePipe, Get, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '@crm/platform';
import { agingTotals, allowance, InvoiceView, isOverdue, worklistScore } from '@crm/receivables-domain';
import { CollectionQueriesService } from './collection-queries.service';

const READERS = ['collector', 'credit_manager', 'account_manager', 'auditor', 'sales'] as const;

function page<T>(items: T[], cursor: string | undefined, limit: number) {
  const offset = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw new BadRequestException('cursor is not one this API returned');
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(String(offset + limit)).toString('base64url') : null;
  return { items: slice, nextCursor: next };
}

function overdueRow(v: InvoiceView) {
  return { customerId: v.customerId, invoiceId: v.invoiceId, number: v.number, currency: v.currency, outstanding: v.outstanding,
    dueDate: v.dueDate, daysOverdue: v.daysOverdue, bucket: v.bucket, dunningLevel: v.dunningLevel, promisedDate: v.promisedDate, disputed: v.disputed };
}

@ApiTags('collection')
@ApiBearerAuth()
@Controller('v1')
export class CollectionController {
  constructor(private readonly queries: CollectionQueriesService) {}

  @Get('overdue')
  @Roles(...READERS)
  @ApiQuery({ name: 'minDaysOverdue', required: false }) @ApiQuery({ name: 'dunningLevel', required: false })
  @ApiQuery({ name: 'customerId', required: false }) @ApiQuery({ name: 'currency', required: false })
  @ApiQuery({ name: 'sort', required: false, enum: ['amount', 'days'] }) @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false }) @ApiQuery({ name: 'asOf', required: false })
  async overdue(
    @Query('minDaysOverdue', new DefaultValuePipe(1), ParseIntPipe) minDaysOverdue: number,
    @Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit: number,
    @Query('dunningLevel') dunningLevel?: string, @Query('customerId') customerId?: string, @Query('currency') currency?: string,
    @Query('sort') sort = 'days', @Query('cursor') cursor?: string, @Query('asOf') asOfParam?: string,
  ) {
    if (!['amount', 'days'].includes(sort)) throw new BadRequestException('sort must be amount or days');
    if (limit < 1 || limit > 500) throw new BadRequestException('limit must be between 1 and 500');
    const level = dunningLevel === undefined ? undefined : Number(dunningLevel);
    if (level !== undefined && !(Number.isInteger(level) && level >= 0 && level <= 5)) throw new BadRequestException('dunningLevel must be an integer 0–5');
    const asOf = await this.queries.resolveAsOf(asOfParam);
    if (!asOf) return { asOf: null, items: [], nextCursor: null };
    const rows = (await this.queries.viewsAsOf(asOf, { customerId, currency }))
      .filter((v) => isOverdue(v) && v.daysOverdue >= Math.max(1, minDaysOverdue) && (level === undefined || v.dunningLevel === level))
      .sort((a, b) => (sort === 'amount' ? b.outstanding - a.outstanding : b.daysOverdue - a.daysOverdue)
        || b.outstanding - a.outstanding || a.invoiceId.localeCompare(b.invoiceId))
      .map(overdueRow);
    return { asOf, ...page(rows, cursor, limit) };
  }

  @Get('aging')
  @Roles(...READERS)
  @ApiQuery({ name: 'asOf', required: false }) @ApiQuery({ name: 'customerId', required: false }) @ApiQuery({ name: 'currency', required: false })
  async aging(@Query('asOf') asOfParam?: string, @Query('customerId') customerId?: string, @Query('currency') currency?: string) {
    const asOf = await this.queries.resolveAsOf(asOfParam);
    if (!asOf) return { asOf: null, currencies: [] };
    return { asOf, currencies: agingTotals(await this.queries.viewsAsOf(asOf, { customerId, currency })) };
  }

  @Get('collections/worklist')
  @Roles('collector', 'credit_manager')
  @ApiQuery({ name: 'limit', required: false })
  async worklist(@Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number) {
    const asOf = await this.queries.resolveAsOf();
    if (!asOf) return { asOf: null, items: [] };
    const items = (await this.queries.viewsAsOf(asOf)).filter((v) => isOverdue(v) && !v.disputed)
      .map((v) => ({ ...overdueRow(v), score: worklistScore(v) }))
      .sort((a, b) => b.score - a.score || a.invoiceId.localeCompare(b.invoiceId))
      .slice(0, Math.min(Math.max(limit, 1), 500));
    return { asOf, items };
  }

  @Get('allowance')
  @Roles('credit_manager', 'auditor')
  @ApiQuery({ name: 'asOf', required: false })
  async allowance(@Query('asOf') asOfParam?: string) {
    const asOf = await this.queries.resolveAsOf(asOfParam);
    if (!asOf) return { asOf: null, currencies: [] };
    return { asOf, currencies: allowance(await this.queries.viewsAsOf(asOf)) };
  }
}
