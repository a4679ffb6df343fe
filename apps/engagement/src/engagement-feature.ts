import { Provider, Type } from '@nestjs/common';
import { DocumentProjection, Policy } from '@crm/eventing';
import { DayCloseWork } from '@crm/platform';
import { MigrationInterface } from 'typeorm';

/**
 * One area of engagement (loyalty, complaints and surveys, interactions and follow-ups, care,
 * churn): what it adds to the service. The module lists the features once; each owns its folder.
 */
export interface EngagementFeature {
  migrations?: Array<new () => MigrationInterface>;
  projections?: (topicPrefix: string) => DocumentProjection[];
  /** Policy classes (also listed in `providers`, as they are the module's providers). */
  policies?: Array<Type<Policy>>;
  controllers?: Array<Type<unknown>>;
  providers?: Provider[];
  /** Its part of the day close; parts run in the order the features are listed. */
  dayClose?: Type<DayCloseWork>;
}
