import { Module, Type } from '@nestjs/common';
import { DayCloseWork, PlatformModule, ServiceConfig } from '@crm/platform';
import { careFeature } from './care/care.feature';
import { churnFeature } from './churn/churn.feature';
import { complaintsFeature } from './complaints/complaints.feature';
import { CustomerDirectoryController } from './customer-directory/customer-directory.controller';
import { customerDirectoryProjection } from './customer-directory/customer-directory.projection';
import { EngagementCustomers } from './customer-directory/engagement-customers';
import { EngagementFeature } from './engagement-feature';
import { followUpsFeature } from './follow-ups/follow-ups.feature';
import { loyaltyFeature } from './loyalty/loyalty.feature';
import { loyaltyThresholdsWhatIf } from './what-if/loyalty-thresholds.what-if';

/** The features in day-close order: churn scores last, after the day's breaches, misses and expiries. */
const FEATURES: Record<string, EngagementFeature> = {
  loyalty: loyaltyFeature, complaints: complaintsFeature, 'follow-ups': followUpsFeature, care: careFeature, churn: churnFeature,
};

/** Loyalty, complaints and surveys, interactions and follow-ups, care calendar, churn risk (port 3004). */
@Module({})
export class EngagementModule {
  static register(config: ServiceConfig) {
    const features = Object.values(FEATURES);
    const dayCloseParts = Object.fromEntries(Object.entries(FEATURES)
      .filter(([, feature]) => feature.dayClose).map(([name, feature]) => [name, feature.dayClose as Type<DayCloseWork>]));
    return {
      module: EngagementModule,
      imports: [PlatformModule.forService({
        config,
        migrations: features.flatMap((f) => f.migrations ?? []),
        projections: [customerDirectoryProjection(config.kafkaTopicPrefix), ...features.flatMap((f) => f.projections?.(config.kafkaTopicPrefix) ?? [])],
        policies: features.flatMap((f) => f.policies ?? []),
        dayClose: { eventType: 'EngagementBusinessDayClosed', work: dayCloseParts, roles: ['account_manager'] },
        whatIf: [loyaltyThresholdsWhatIf],
      })],
      controllers: [CustomerDirectoryController, ...features.flatMap((f) => f.controllers ?? [])],
      providers: [EngagementCustomers, ...features.flatMap((f) => f.providers ?? [])],
    };
  }
}
