import { Body, Controller, Get, Headers, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CHURN_SIGNALS } from '@crm/contracts';
import { BusinessClock, eventMetadata, Roles, Answers } from '@crm/platform';
import { ChurnPolicies } from './churn-policies';
import { ChurnPolicyDto } from './churn.dto';
import { CHURN_POLICY, CHURN_POLICY_CHANGED } from '../answers/engagement-answers';

/** The churn rules in force: points per signal, the flag threshold and the (lower) clear threshold. */
@ApiTags('churn risk')
@ApiBearerAuth()
@Controller('v1/churn/policy')
export class ChurnPolicyController {
  constructor(private readonly policies: ChurnPolicies, private readonly clock: BusinessClock) {}

  @Answers(CHURN_POLICY, { summary: 'The churn policy in force: signal weights and thresholds' })
  @Get()
  @Roles('account_manager', 'sales', 'auditor', 'admin')
  current() {
    return this.policies.current();
  }

  /** Records `ChurnPolicyChanged` with the next version; later scores cite it, earlier ones keep theirs. */
  @Answers(CHURN_POLICY_CHANGED, { summary: 'Change the churn policy: a new version when the rules differ' })
  @Put()
  @Roles('admin')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async change(@Body() body: ChurnPolicyDto, @Req() request: any, @Headers('idempotency-key') key?: string) {
    const current = await this.policies.current();
    const weights = Object.fromEntries(CHURN_SIGNALS.map((s) => [s, body.weights?.[s] ?? current.weights[s]])) as typeof current.weights;
    const next = { weights, flagAt: body.flagAt ?? current.flagAt, clearBelow: body.clearBelow ?? current.clearBelow };
    const { version, changed } = await this.policies.change(next, {
      metadata: eventMetadata(request, 'ChangeChurnPolicy'), now: this.clock.now().now, idempotencyKey: key, request: body,
    });
    return { version, changed, ...next };
  }
}
