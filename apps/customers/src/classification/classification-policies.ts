import { Inject, Injectable } from '@nestjs/common';
import { EventMetadata } from '@crm/contracts';
import {
  classificationPolicyDecider, ClassificationPolicyEvent, SetClassificationPolicy, VersionedClassificationPolicy,
} from '@crm/customers-domain';
import { CommandHandler } from '@crm/eventing';
import { provideCommandHandler } from '@crm/platform';

const POLICY_STREAM = 'customers-classification-policy';
const POLICY_HANDLER = Symbol('CLASSIFICATION_POLICY_HANDLER');

export const classificationPolicyCommandHandler = provideCommandHandler(POLICY_HANDLER, {
  name: 'customers-classification-policy', decider: classificationPolicyDecider,
});

/** The versioned classification rules (one stream of `ClassificationPolicyChanged`); version 0 is the default. */
@Injectable()
export class ClassificationPolicies {
  constructor(@Inject(POLICY_HANDLER) private readonly handler: CommandHandler<VersionedClassificationPolicy, SetClassificationPolicy, ClassificationPolicyEvent>) {}

  async current(): Promise<VersionedClassificationPolicy> {
    const { state } = await this.handler.load(POLICY_STREAM);
    return { version: state.version, reportingCurrency: state.reportingCurrency, rates: { ...state.rates }, retention: { ...state.retention } };
  }

  set(data: SetClassificationPolicy['data'], options: { metadata: EventMetadata; now: string; idempotencyKey?: string }) {
    return this.handler.execute({
      streamId: POLICY_STREAM, partitionKey: POLICY_STREAM, command: { type: 'SetClassificationPolicy', data },
      metadata: { ...options.metadata, command: 'SetClassificationPolicy' }, now: options.now,
      idempotency: options.idempotencyKey ? { scope: 'SetClassificationPolicy', key: options.idempotencyKey, request: data } : undefined,
      respond: (events, version) => ({ version: events[0]?.data.version ?? version, changed: events.length > 0 }),
    });
  }
}
