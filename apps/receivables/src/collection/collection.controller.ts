import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Answers, Roles } from '@crm/platform';
import { CollectionQueriesService } from './collection-queries.service';
import { AgingQueryDto, AsOfQueryDto, OverdueQueryDto, WorklistQueryDto } from './collection-queries.dto';
import { AgingDto, AllowanceDto, OverdueListDto, WorklistDto } from '../answers/receivables-answers.dto';
import { SegmentPolicies } from '../segment-policy/segment-policies';

const READERS = ['collector', 'credit_manager', 'account_manager', 'auditor', 'sales'] as const;

/** The overdue list, aging, the worklist and the allowance, from the overdue read model in SQL (ADR 27). */
@ApiTags('collection')
@ApiBearerAuth()
@Controller('v1')
export class CollectionController {
  constructor(private readonly queries: CollectionQueriesService, private readonly segmentPolicies: SegmentPolicies) {}

  @Answers(OverdueListDto, { summary: 'Overdue invoices as of a closed business date, by days overdue or amount, in pages' })
  @Get('overdue')
  @Roles(...READERS)
  async overdue(@Query() query: OverdueQueryDto) {
    const { minDaysOverdue, limit = 50, dunningLevel, customerId, currency, sort = 'days', cursor } = query;
    const date = await this.queries.readDate(query.asOf);
    if (!date) return { asOf: null, items: [], nextCursor: null };
    return { asOf: date.asOf, ...(await this.queries.overdue(date, { minDaysOverdue, dunningLevel, customerId, currency }, sort, limit, cursor)) };
  }

  @Answers(AgingDto, { summary: 'Outstanding per aging bucket and currency as of a closed business date' })
  @Get('aging')
  @Roles(...READERS)
  async aging(@Query() { asOf, customerId, currency }: AgingQueryDto) {
    const date = await this.queries.readDate(asOf);
    if (!date) return { asOf: null, currencies: [] };
    return { asOf: date.asOf, currencies: await this.queries.aging(date, { customerId, currency }) };
  }

  @Answers(WorklistDto, { summary: 'The collectors\' worklist: undisputed overdue invoices by priority score, or one segment with the rule placing each row' })
  @Get('collections/worklist')
  // The auditor reads everything (a platform rule), the worklist too.
  @Roles('collector', 'credit_manager', 'auditor')
  async worklist(@Query() { limit = 100, segment }: WorklistQueryDto) {
    const date = await this.queries.readDate();
    if (!date) return { asOf: null, items: [] };
    if (segment) {
      // The rules in force now place every row of the page (each row cites their version).
      const rules = await this.segmentPolicies.current();
      return { asOf: date.asOf, segment, policyVersion: rules.version, items: await this.queries.segment(date, segment, limit, rules) };
    }
    return { asOf: date.asOf, items: await this.queries.worklist(date, limit) };
  }

  @Answers(AllowanceDto, { summary: 'Bad-debt allowance per currency from the aging buckets\' rates' })
  @Get('allowance')
  @Roles('credit_manager', 'auditor')
  async allowance(@Query() { asOf }: AsOfQueryDto) {
    const date = await this.queries.readDate(asOf);
    if (!date) return { asOf: null, currencies: [] };
    return { asOf: date.asOf, currencies: await this.queries.allowance(date) };
  }
}
