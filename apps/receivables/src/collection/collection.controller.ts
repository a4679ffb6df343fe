import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles, ValidationProblem } from '@crm/platform';
import { agingTotals, allowance, InvoiceView, isOverdue, worklistScore } from '@crm/receivables-domain';
import { CollectionQueriesService } from './collection-queries.service';
import { AgingQueryDto, AsOfQueryDto, OverdueQueryDto, WorklistQueryDto } from './collection-queries.dto';

const READERS = ['collector', 'credit_manager', 'account_manager', 'auditor', 'sales'] as const;

function page<T>(items: T[], cursor: string | undefined, limit: number) {
  const offset = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) : 0;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new ValidationProblem([{ field: 'cursor', messages: ['cursor must be a nextCursor this API returned'] }]);
  }
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
  async overdue(@Query() query: OverdueQueryDto) {
    const { minDaysOverdue = 1, limit = 50, dunningLevel, customerId, currency, sort = 'days', cursor } = query;
    const asOf = await this.queries.resolveAsOf(query.asOf);
    if (!asOf) return { asOf: null, items: [], nextCursor: null };
    const rows = (await this.queries.viewsAsOf(asOf, { customerId, currency }))
      .filter((v) => isOverdue(v) && v.daysOverdue >= Math.max(1, minDaysOverdue) && (dunningLevel === undefined || v.dunningLevel === dunningLevel))
      .sort((a, b) => (sort === 'amount' ? b.outstanding - a.outstanding : b.daysOverdue - a.daysOverdue)
        || b.outstanding - a.outstanding || a.invoiceId.localeCompare(b.invoiceId))
      .map(overdueRow);
    return { asOf, ...page(rows, cursor, limit) };
  }

  @Get('aging')
  @Roles(...READERS)
  async aging(@Query() { asOf: asOfParam, customerId, currency }: AgingQueryDto) {
    const asOf = await this.queries.resolveAsOf(asOfParam);
    if (!asOf) return { asOf: null, currencies: [] };
    return { asOf, currencies: agingTotals(await this.queries.viewsAsOf(asOf, { customerId, currency })) };
  }

  @Get('collections/worklist')
  @Roles('collector', 'credit_manager')
  async worklist(@Query() { limit = 100 }: WorklistQueryDto) {
    const asOf = await this.queries.resolveAsOf();
    if (!asOf) return { asOf: null, items: [] };
    const items = (await this.queries.viewsAsOf(asOf)).filter((v) => isOverdue(v) && !v.disputed)
      .map((v) => ({ ...overdueRow(v), score: worklistScore(v) }))
      .sort((a, b) => b.score - a.score || a.invoiceId.localeCompare(b.invoiceId))
      .slice(0, limit);
    return { asOf, items };
  }

  @Get('allowance')
  @Roles('credit_manager', 'auditor')
  async allowance(@Query() { asOf: asOfParam }: AsOfQueryDto) {
    const asOf = await this.queries.resolveAsOf(asOfParam);
    if (!asOf) return { asOf: null, currencies: [] };
    return { asOf, currencies: allowance(await this.queries.viewsAsOf(asOf)) };
  }
}
