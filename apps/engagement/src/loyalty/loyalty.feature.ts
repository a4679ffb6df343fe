import { EngagementFeature } from '../engagement-feature';

/** Loyalty: points from receivables' payments, tiers, redemptions, the versioned loyalty policy. */
export const loyaltyFeature: EngagementFeature = {};
