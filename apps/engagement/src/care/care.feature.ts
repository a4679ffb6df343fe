import { EngagementFeature } from '../engagement-feature';

/** Care calendar: greeting tasks from customers' care dates and configured holidays, on consented channels. */
export const careFeature: EngagementFeature = {};
