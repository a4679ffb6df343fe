import { deciderSpec } from '@crm/testing';
import { classificationPolicyDecider, ClassificationPolicyEvent } from './classification-policy.decider';

const spec = deciderSpec(classificationPolicyDecider);
const rules = { reportingCurrency: 'CNY', rates: [{ currency: 'USD', rate: 7.1 }, { currency: 'EUR', rate: 7.7 }], retention: { base: 0.8, atRisk: 0.3 }, changedBy: 'am' };
const v1: ClassificationPolicyEvent = { type: 'ClassificationPolicyChanged', schemaVersion: 1, data: { ...rules, version: 1, rates: [{ currency: 'EUR', rate: 7.7 }, { currency: 'USD', rate: 7.1 }] } };

describe('classification policy decider (versioned)', () => {
  it('records version 1, then a new version per change, and nothing for the same rules', () => {
    spec.given([]).when({ type: 'SetClassificationPolicy', data: rules }).then([v1]);
    spec.given([v1]).when({ type: 'SetClassificationPolicy', data: { ...rules, rates: [...rules.rates].reverse() } }).thenNothingHappened();
    spec.given([v1]).when({ type: 'SetClassificationPolicy', data: { ...rules, reportingCurrency: 'USD', rates: [{ currency: 'CNY', rate: 0.14 }] } })
      .then((events) => expect(events[0].data).toMatchObject({ version: 2, reportingCurrency: 'USD' }));
  });

  it('refuses a rate for the reporting currency, two rates for one currency, and at-risk retention above the base', () => {
    spec.given([]).when({ type: 'SetClassificationPolicy', data: { ...rules, rates: [{ currency: 'CNY', rate: 1 }] } }).thenThrows('rate-for-reporting-currency', 'rates');
    spec.given([]).when({ type: 'SetClassificationPolicy', data: { ...rules, rates: [{ currency: 'USD', rate: 7 }, { currency: 'USD', rate: 8 }] } }).thenThrows('duplicate-rate');
    spec.given([]).when({ type: 'SetClassificationPolicy', data: { ...rules, retention: { base: 0.5, atRisk: 0.6 } } }).thenThrows('retention-at-risk-above-base');
  });
});
