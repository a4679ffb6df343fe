import { Body, Controller, Get, Headers, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CreditPolicyRulesV1 } from '@crm/contracts';
import { BusinessClock, eventMetadata, Roles, Answers } from '@crm/platform';
import { CreditPolicies } from './credit-policies';
import { CreditPolicyDto } from './credit-policy.dto';
import { CreditPolicyAnswerDto, CreditPolicyChangedDto } from '../answers/credit-answers.dto';

const defined = <T extends object>(part: T | undefined) => Object.fromEntries(Object.entries(part ?? {}).filter(([, v]) => v !== undefined));

/** The credit rules in force: scoring weights, grade cut-offs, terms per grade, the second-approver threshold, hold rules. */
@ApiTags('credit policy')
@ApiBearerAuth()
@Controller('v1/credit/policy')
export class CreditPolicyController {
  constructor(private readonly policies: CreditPolicies, private readonly clock: BusinessClock) {}

  @Answers(CreditPolicyAnswerDto, { summary: 'The credit policy in force: scoring weights, grade cut-offs, terms per grade, approval threshold, hold rules' })
  @Get()
  @Roles('credit_manager', 'sales', 'auditor')
  async current() {
    const { version, rules } = await this.policies.current();
    return { version, ...rules };
  }

  /** Records `CreditPolicyChanged` with the next version; later decisions cite it, earlier ones keep theirs. */
  @Answers(CreditPolicyChangedDto, { summary: 'Change the credit policy (a merge of the fields sent): a new version when the rules differ' })
  @Put()
  @Roles('admin')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async change(@Body() body: CreditPolicyDto, @Req() request: any, @Headers('idempotency-key') key?: string) {
    const { rules } = await this.policies.current();
    const next: CreditPolicyRulesV1 = {
      scoringWeights: { ...rules.scoringWeights, ...defined(body.scoringWeights) },
      gradeCutoffs: { ...rules.gradeCutoffs, ...defined(body.gradeCutoffs) },
      maxPaymentTermsDays: { ...rules.maxPaymentTermsDays, ...defined(body.maxPaymentTermsDays) },
      secondApproverThreshold: body.secondApproverThreshold ?? rules.secondApproverThreshold,
      holdRules: { ...rules.holdRules, ...defined(body.holdRules) },
      reviewIntervalMonths: body.reviewIntervalMonths ?? rules.reviewIntervalMonths,
    };
    const { now, today } = this.clock.now();
    const { version, changed } = await this.policies.change(next, { metadata: eventMetadata(request, 'ChangeCreditPolicy'), now, today, idempotencyKey: key, request: body });
    return { version, changed, ...next };
  }
}
