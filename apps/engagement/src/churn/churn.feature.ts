import { EngagementFeature } from '../engagement-feature';

/** Churn risk: signals, score, flag and clear with hysteresis, the versioned churn policy. */
export const churnFeature: EngagementFeature = {};
