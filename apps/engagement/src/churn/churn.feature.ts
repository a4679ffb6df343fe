import { EngagementFeature } from '../engagement-feature';
import { ChurnTables1764700400000 } from './1764700400000-churn';
import { ChurnDayClose } from './churn-day-close';
import { ChurnFactsStore } from './churn-facts.store';
import { ChurnPolicies } from './churn-policies';
import { ChurnPolicyController } from './churn-policy.controller';
import { ChurnRiskController } from './churn-risk.controller';
import { churnRiskProjection } from './churn-risk.projection';
import { ChurnRiskQueries } from './churn-risk.queries';
import { churnRiskCommandHandler, ChurnRisks } from './churn-risks';
import { ChurnSignalsPolicy } from './churn-signals.policy';

/** Churn risk: signals, score, flag and clear with hysteresis, the versioned churn policy. */
export const churnFeature: EngagementFeature = {
  migrations: [ChurnTables1764700400000],
  projections: (prefix) => [churnRiskProjection(prefix)],
  policies: [ChurnSignalsPolicy],
  controllers: [ChurnRiskController, ChurnPolicyController],
  providers: [churnRiskCommandHandler, ChurnRisks, ChurnPolicies, ChurnFactsStore, ChurnRiskQueries, ChurnSignalsPolicy, ChurnDayClose],
  dayClose: ChurnDayClose,
};
