import { EngagementFeature } from '../engagement-feature';

/** Interactions, follow-ups (interactions' next steps, the contact plan, retention) and missed ones on day close. */
export const followUpsFeature: EngagementFeature = {};
