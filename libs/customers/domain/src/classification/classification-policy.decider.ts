import { ClassificationPolicyChangedV1, Decider, domainError } from '@crm/contracts';
import { ClassificationPolicy } from './classification';

export interface SetClassificationPolicy {
  type: 'SetClassificationPolicy';
  data: Omit<ClassificationPolicyChangedV1, 'version'>;
}

export type ClassificationPolicyEvent = { type: 'ClassificationPolicyChanged'; schemaVersion: 1; data: ClassificationPolicyChangedV1 };

/** Version 0 is the default until a policy is set: ranking in CNY, no other currency counted. */
export interface VersionedClassificationPolicy extends ClassificationPolicy { version: number }

export const DEFAULT_CLASSIFICATION_POLICY: VersionedClassificationPolicy = {
  version: 0, reportingCurrency: 'CNY', rates: {}, retention: { base: 0.8, atRisk: 0.3 },
};

/** Versioned rules: every change a new version; the same rules again are no new version. */
export const classificationPolicyDecider: Decider<VersionedClassificationPolicy, SetClassificationPolicy, ClassificationPolicyEvent> = {
  initialState: () => ({ ...DEFAULT_CLASSIFICATION_POLICY, rates: {}, retention: { ...DEFAULT_CLASSIFICATION_POLICY.retention } }),
  decide(command, state) {
    const { reportingCurrency, rates, retention, changedBy } = command.data;
    if (rates.some((r) => r.currency === reportingCurrency)) {
      throw domainError('rate-for-reporting-currency', 'invalid', `no rate is needed for the reporting currency ${reportingCurrency}`, 'rates');
    }
    if (new Set(rates.map((r) => r.currency)).size !== rates.length) throw domainError('duplicate-rate', 'invalid', 'one rate per currency', 'rates');
    if (retention.atRisk > retention.base) throw domainError('retention-at-risk-above-base', 'invalid', 'retention with churn risk cannot exceed the base retention', 'retention.atRisk');
    const sorted = [...rates].sort((a, b) => (a.currency < b.currency ? -1 : 1));
    const same = reportingCurrency === state.reportingCurrency && retention.base === state.retention.base && retention.atRisk === state.retention.atRisk
      && JSON.stringify(Object.fromEntries(sorted.map((r) => [r.currency, r.rate]))) === JSON.stringify(Object.fromEntries(Object.entries(state.rates).sort()));
    if (same && state.version > 0) return [];
    return [{ type: 'ClassificationPolicyChanged', schemaVersion: 1, data: { version: state.version + 1, reportingCurrency, rates: sorted, retention, changedBy } }];
  },
  evolve(state, event) {
    state.version = event.data.version;
    state.reportingCurrency = event.data.reportingCurrency;
    state.rates = Object.fromEntries(event.data.rates.map((r) => [r.currency, r.rate]));
    state.retention = { ...event.data.retention };
    return state;
  },
};
