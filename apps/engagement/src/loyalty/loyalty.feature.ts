import { EngagementFeature } from '../engagement-feature';
import { LoyaltyTables1764700000000 } from './1764700000000-loyalty';
import { loyaltyAccountCommandHandler, LoyaltyAccounts } from './loyalty-accounts';
import { LoyaltyDayClose } from './loyalty-day-close';
import { LoyaltyInvoicesStore } from './loyalty-invoices.store';
import { LoyaltyPaymentsPolicy } from './loyalty-payments.policy';
import { LoyaltyPolicies } from './loyalty-policies';
import { LoyaltyPolicyController } from './loyalty-policy.controller';
import { loyaltyMembersProjection } from './loyalty-projections';
import { LoyaltyController } from './loyalty.controller';

/** Loyalty: points from receivables' payments, tiers, redemptions, the versioned loyalty policy. */
export const loyaltyFeature: EngagementFeature = {
  migrations: [LoyaltyTables1764700000000],
  projections: (prefix) => [loyaltyMembersProjection(prefix)],
  policies: [LoyaltyPaymentsPolicy],
  controllers: [LoyaltyController, LoyaltyPolicyController],
  providers: [loyaltyAccountCommandHandler, LoyaltyAccounts, LoyaltyPolicies, LoyaltyInvoicesStore,
    LoyaltyPaymentsPolicy, LoyaltyDayClose],
  dayClose: LoyaltyDayClose,
};
