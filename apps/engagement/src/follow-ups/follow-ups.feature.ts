import { EngagementFeature } from '../engagement-feature';
import { ContactPlanPolicy } from './contact-plan.policy';
import { ContactPlanPolicies } from './contact-plan-policies';
import { ContactPlanPolicyController } from './contact-plan-policy.controller';
import { customerEngagementCommandHandler, CustomerEngagements } from './customer-engagements';
import { FollowUpsController } from './follow-ups.controller';
import { FollowUpsDayClose } from './follow-ups-day-close';
import { followUpsProjections } from './follow-ups.projections';
import { FollowUpQueries } from './follow-ups.queries';
import { InteractionsController } from './interactions.controller';
import { RetentionFollowUpPolicy } from './retention-follow-up.policy';

/** Interactions, follow-ups (interactions' next steps, the contact plan, retention) and missed ones on day close (ADR 19). */
export const followUpsFeature: EngagementFeature = {
  projections: followUpsProjections,
  policies: [ContactPlanPolicy, RetentionFollowUpPolicy],
  controllers: [InteractionsController, FollowUpsController, ContactPlanPolicyController],
  providers: [customerEngagementCommandHandler, CustomerEngagements, ContactPlanPolicies, FollowUpQueries, ContactPlanPolicy, RetentionFollowUpPolicy, FollowUpsDayClose],
  dayClose: FollowUpsDayClose,
};
