import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AsOfQueryDto, Roles, UuidParam, Answers } from '@crm/platform';
import { ChurnRiskQueries } from './churn-risk.queries';
import { ChurnRiskQueryDto } from './churn.dto';
import { ENGAGEMENT_READERS } from '../engagement-roles';
import { CHURN_RISK, CHURN_RISKS } from '../answers/engagement-answers';


@ApiTags('churn risk')
@ApiBearerAuth()
@Controller('v1/churn-risk')
export class ChurnRiskController {
  constructor(private readonly queries: ChurnRiskQueries) {}

  /** Scored customers, riskiest first: score, the signals with their points and details, the flag and its retention follow-up. */
  @Answers(CHURN_RISKS, { summary: 'Customers at churn risk above a score, in keyset pages (or as recorded at `asOf`)' })
  @Get()
  @Roles(...ENGAGEMENT_READERS)
  list(@Query() { minScore = 0, cursor, limit = 50, asOf }: ChurnRiskQueryDto) {
    if (asOf) return this.queries.listAsOf(minScore, cursor, limit, asOf).then((page) => ({ minScore, ...page, asOf }));
    return this.queries.list(minScore, cursor, limit).then((page) => ({ minScore, ...page }));
  }

  @Answers(CHURN_RISK, { summary: 'A customer\'s churn risk with its signals (or as recorded at `asOf`)', problems: { 404: ['churn-risk-not-found'] } })
  @Get(':customerId')
  @Roles(...ENGAGEMENT_READERS)
  one(@UuidParam('customerId') customerId: string, @Query() { asOf }: AsOfQueryDto) {
    return this.queries.one(customerId, asOf);
  }
}
