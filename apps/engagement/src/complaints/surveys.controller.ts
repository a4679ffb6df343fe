import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, Inject, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { businessDateOf } from '@crm/engagement-domain';
import { BusinessClock, eventMetadata, Roles, SERVICE_CONFIG, ServiceConfig, Answers, PlatformRequest } from '@crm/platform';
import { EngagementCustomers } from '../customer-directory/engagement-customers';
import { ComplaintStreams } from './complaint-streams';
import { SatisfactionQueryDto, SurveyResponseDto } from './complaints.dto';
import { ComplaintQueries } from './complaints.queries';
import { ENGAGEMENT_READERS } from '../engagement-roles';
import { SATISFACTION, SURVEY_RESPONSE } from '../answers/engagement-answers';

/** Survey answers (CSAT, NPS), recorded with the customer's segment at the time, and satisfaction by month and segment. */
@ApiTags('surveys')
@ApiBearerAuth()
@Controller('v1')
export class SurveysController {
  constructor(
    private readonly streams: ComplaintStreams,
    private readonly customers: EngagementCustomers,
    private readonly queries: ComplaintQueries,
    private readonly clock: BusinessClock,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Answers(SURVEY_RESPONSE, { status: 201, summary: 'Record a survey response (NPS or CSAT) with the customer\'s segment at the time', problems: { 409: ['survey-response-exists'], 422: ['unknown-customer'] } })
  @Post('surveys/responses')
  @Roles('sales', 'account_manager')
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'A retried POST with the same key records the answer once' })
  async respond(@Body() body: SurveyResponseDto, @Req() request: PlatformRequest, @Headers('idempotency-key') key?: string) {
    const customer = await this.customers.require(body.customerId);
    const tier = await this.queries.tierOf(body.customerId);
    const respondedAt = new Date(body.respondedAt).toISOString();
    const responseId = randomUUID();
    return this.streams.recordResponse({
      type: 'RecordSurveyResponse',
      data: { responseId, customerId: body.customerId, kind: body.kind, score: body.score, comment: body.comment ?? null, respondedAt,
        respondedOn: businessDateOf(respondedAt, this.config.businessTimeZone), segment: { abcClass: customer.abcClass, region: customer.region, tier } },
    }, {
      metadata: eventMetadata(request, 'RecordSurveyResponse'), now: this.clock.now().now, idempotencyKey: key, request: body,
      respond: ([e]) => {
        if (e.type !== 'SurveyResponseRecorded') throw new Error(`RecordSurveyResponse recorded ${e.type}`);
        const { responseId: id, ...rest } = e.data;
        return { id, ...rest };
      },
    });
  }

  @Answers(SATISFACTION, { summary: 'Satisfaction of a month (NPS, CSAT), overall or by segment' })
  @Get('satisfaction')
  @Roles(...ENGAGEMENT_READERS)
  satisfaction(@Query() { month, segment }: SatisfactionQueryDto) {
    return this.queries.satisfaction(month, segment);
  }
}
