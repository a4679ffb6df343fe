import { Body, Controller, Get, Headers, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { BusinessClock, eventMetadata, Roles, Answers } from '@crm/platform';
import { SegmentPolicies } from './segment-policies';
import { SegmentPolicyDto } from './segment-policy.dto';
import { SegmentPolicyAnswerDto, SegmentPolicyChangedDto } from '../answers/receivables-answers.dto';

/** The worklist segment rules in force (low-hanging fruit, at risk, deprioritized): each PUT a new version, cited by every worklist row it places. */
@ApiTags('collection')
@ApiBearerAuth()
@Controller('v1/collections/segment-policy')
export class SegmentPolicyController {
  constructor(private readonly policies: SegmentPolicies, private readonly clock: BusinessClock) {}

  @Answers(SegmentPolicyAnswerDto, { summary: 'The worklist segment rules in force and their version (1 until the first change)' })
  @Get()
  @Roles('collector', 'credit_manager', 'auditor')
  current() {
    return this.policies.current();
  }

  /** Records `WorklistSegmentPolicyChanged` with the next version when a threshold differs; the same rules again record nothing. */
  @Answers(SegmentPolicyChangedDto, { summary: 'Replace the worklist segment rules: a new version when they differ (a late threshold not above the punctual one: 400 segment-rules-overlap)' })
  @Put()
  @Roles('credit_manager')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async change(@Body() body: SegmentPolicyDto, @Req() request: any, @Headers('idempotency-key') key?: string) {
    const rules = {
      usuallyPays: { minPaidInvoices: body.usuallyPays.minPaidInvoices, maxMedianDaysLate: body.usuallyPays.maxMedianDaysLate },
      smallBalance: { maxOutstanding: body.smallBalance.maxOutstanding },
      nearLimit: { minUtilization: body.nearLimit.minUtilization },
      severalDunningLevels: { minLevel: body.severalDunningLevels.minLevel },
      habituallyLate: { minPaidInvoices: body.habituallyLate.minPaidInvoices, minMedianDaysLate: body.habituallyLate.minMedianDaysLate },
    };
    const { now, today } = this.clock.now();
    const { version, changed } = await this.policies.change(rules, { metadata: eventMetadata(request, 'ChangeSegmentPolicy'), now, today, idempotencyKey: key, request: body });
    return { version, changed, ...rules };
  }
}
