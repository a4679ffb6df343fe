import { Module } from '@nestjs/common';
import { PlatformModule, ServiceConfig } from '@crm/platform';
import { creditAccountCommandHandler, CreditAccounts } from './account/credit-accounts';
import { CustomersController } from './customers/customers.controller';
import { ReceivablesFactsStore } from './facts/receivables-facts.store';
import { CreditHoldPolicy } from './holds/credit-hold.policy';
import { LimitRequestsController } from './limit-requests/limit-requests.controller';
import { CreditTables1764600000000 } from './migrations/1764600000000-credit';
import { CreditDayClose } from './operations/credit-day-close';
import { CreditPolicies } from './policy/credit-policies';
import { CreditPolicyController } from './policy/credit-policy.controller';
import { creditProjections } from './read-models/credit-projections';
import { CreditQueries } from './read-models/credit-queries';
import { WatchlistController } from './watchlist/watchlist.controller';
import { holdRulesWhatIf } from './what-if/hold-rules.what-if';

/** Assessments, grades, limits with maker-checker, automatic holds, exposure and as-of positions (port 3002). */
@Module({})
export class CreditModule {
  static register(config: ServiceConfig) {
    return {
      module: CreditModule,
      imports: [PlatformModule.forService({
        config,
        migrations: [CreditTables1764600000000],
        projections: creditProjections(config.kafkaTopicPrefix),
        policies: [CreditHoldPolicy],
        dayClose: { eventType: 'CreditBusinessDayClosed', work: CreditDayClose, roles: ['credit_manager'] },
        whatIf: [holdRulesWhatIf],
      })],
      controllers: [CustomersController, LimitRequestsController, WatchlistController, CreditPolicyController],
      providers: [creditAccountCommandHandler, CreditAccounts, CreditPolicies,
        ReceivablesFactsStore, CreditQueries, CreditHoldPolicy, CreditDayClose],
    };
  }
}
