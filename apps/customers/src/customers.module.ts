import { Module } from '@nestjs/common';
import { MasterKeyWrapper, PersonalDataVault } from '@crm/eventing';
import { PG_POOL, PlatformModule, ServiceConfig } from '@crm/platform';
import { Pool } from 'pg';
import { customerCommandHandler, CustomerCommands } from './customer/customer-commands';
import { ErasePersonalDataController } from './erase-personal-data/erase-personal-data.controller';
import { GetCustomerController } from './get-customer/get-customer.controller';
import { customerTimelineProjection } from './history/customer-timeline.projection';
import { CustomerTimelineQueries } from './history/customer-timeline.queries';
import { HistoryController } from './history/history.controller';
import { RegisterCustomerController } from './register-customer/register-customer.controller';
import { customerChurnRiskProjection } from './classification/customer-churn-risk.projection';
import { customerRevenueProjection } from './classification/customer-revenue.projection';
import { CustomersDayClose } from './classification/customers-day-close';
import { SegmentsController } from './classification/segments.controller';
import { ClassificationPolicies } from './classification/classification-policies';
import { ClassificationPolicyController } from './classification/classification-policy.controller';
import { ContactsController } from './contacts/contacts.controller';
import { CustomerDirectoryController } from './directory/customer-directory.controller';
import { customersDirectoryProjection } from './directory/customer-directory.projection';
import { EmailBlindIndex } from './personal-data/email-blind-index';
import { customerOverviewProjection } from './overview/customer-overview.projection';
import { CustomerOverviewController } from './overview/customer-overview.controller';
import { OVERVIEW_STALE_AFTER, overviewStaleAfterMs } from './overview/overview-staleness';
import { UpdateCustomerController } from './update-customer/update-customer.controller';

@Module({})
export class CustomersModule {
  static register(config: ServiceConfig) {
    // Read at start: a wrong value stops the service rather than marking every part stale or none.
    const staleAfterMs = overviewStaleAfterMs(process.env);
    return {
      module: CustomersModule,
      imports: [PlatformModule.forService({
        config,
        projections: [customersDirectoryProjection(config.kafkaTopicPrefix), customerRevenueProjection(config.kafkaTopicPrefix),
          customerChurnRiskProjection(config.kafkaTopicPrefix), customerOverviewProjection(config.kafkaTopicPrefix),
          customerTimelineProjection(config.kafkaTopicPrefix)],
        dayClose: { eventType: 'CustomersBusinessDayClosed', work: CustomersDayClose, roles: ['account_manager'] },
      })],
      controllers: [ClassificationPolicyController, CustomerOverviewController, SegmentsController, CustomerDirectoryController, RegisterCustomerController, GetCustomerController, UpdateCustomerController, ContactsController, ErasePersonalDataController, HistoryController],
      providers: [
        customerCommandHandler,
        CustomerCommands,
        CustomersDayClose,
        CustomerTimelineQueries,
        ClassificationPolicies,
        { provide: OVERVIEW_STALE_AFTER, useValue: staleAfterMs },
        { provide: EmailBlindIndex, useFactory: () => new EmailBlindIndex(config.personalDataIndexKey) },
        { provide: PersonalDataVault, useFactory: (pool: Pool) => new PersonalDataVault(pool, new MasterKeyWrapper(config.personalDataMasterKey, config.personalDataAcceptedMasterKeys)), inject: [PG_POOL] },
      ],
    };
  }
}
