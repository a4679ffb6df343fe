import { EngagementFeature } from '../engagement-feature';

/** Complaints with SLA clocks, surveys and satisfaction by segment. */
export const complaintsFeature: EngagementFeature = {};
