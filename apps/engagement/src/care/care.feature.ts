import { EngagementFeature } from '../engagement-feature';
import { CareController } from './care.controller';
import { CareDatePolicy } from './care-date.policy';
import { CareDayClose } from './care-day-close';
import { careTasksProjection } from './care.projection';
import { careHandlers, CareStreams } from './care-streams';

/** Care calendar: greeting tasks from customers' care dates and configured holidays, on consented channels (ADR 19). */
export const careFeature: EngagementFeature = {
  projections: (prefix) => [careTasksProjection(prefix)],
  policies: [CareDatePolicy],
  controllers: [CareController],
  providers: [...careHandlers, CareStreams, CareDatePolicy, CareDayClose],
  dayClose: CareDayClose,
};
