import { Body, Controller, Get, Headers, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { BusinessClock, eventMetadata, Roles, Answers } from '@crm/platform';
import { LoyaltyPolicies } from './loyalty-policies';
import { loyaltyRulesChangedBy } from './loyalty-policy-change';
import { LoyaltyPolicyDto } from './loyalty.dto';
import { ENGAGEMENT_READERS } from '../engagement-roles';
import { LOYALTY_POLICY, LOYALTY_POLICY_CHANGED } from '../answers/engagement-answers';

/** The loyalty rules in force: earning rates, tier thresholds (per currency if set), expiry, downgrade grace. */
@ApiTags('loyalty policy')
@ApiBearerAuth()
@Controller('v1/loyalty/policy')
export class LoyaltyPolicyController {
  constructor(private readonly policies: LoyaltyPolicies, private readonly clock: BusinessClock) {}

  @Answers(LOYALTY_POLICY, { summary: 'The loyalty policy in force: tiers, thresholds, points, expiry, downgrade grace' })
  @Get()
  @Roles(...ENGAGEMENT_READERS)
  async current() {
    const { version, rules } = await this.policies.current();
    return { version, ...rules };
  }

  /** Records `LoyaltyPolicyChanged` with the next version; later decisions cite it, earlier ones keep theirs. */
  @Answers(LOYALTY_POLICY_CHANGED, { summary: 'Change the loyalty policy: a new version when the rules differ' })
  @Put()
  @Roles('admin')
  @ApiHeader({ name: 'idempotency-key', required: false })
  async change(@Body() body: LoyaltyPolicyDto, @Req() request: any, @Headers('idempotency-key') key?: string) {
    const { rules } = await this.policies.current();
    const next = loyaltyRulesChangedBy(rules, body);
    const { now } = this.clock.now();
    const { version, changed } = await this.policies.change(next, { metadata: eventMetadata(request, 'ChangeLoyaltyPolicy'), now, idempotencyKey: key, request: body });
    return { version, changed, ...next };
  }
}
