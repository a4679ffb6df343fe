import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { deadLetterTopic, ServiceName } from '@crm/contracts';
import { Policy, PolicyRunner, Transport, UpcasterRegistry } from '@crm/eventing';
import { Pool } from 'pg';
import { Logger } from 'pino';
import { ServiceConfig } from '../config/service-config';
import { LOGGER, PG_POOL, SERVICE_CONFIG, TRANSPORT, UPCASTERS } from './tokens';

export const POLICY_TYPES = Symbol('POLICY_TYPES');

/**
 * Starts the service's policies, each on its own consumer group. A policy is a provider of
 * the service's module (it needs the service's command handlers), found here by its class.
 */
@Injectable()
export class PoliciesService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly runners: PolicyRunner[] = [];

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(POLICY_TYPES) private readonly types: Array<Type<Policy>>,
    /** The registry the service's event store reads with: the service's own upcasters too. */
    @Inject(UPCASTERS) private readonly upcasters: UpcasterRegistry,
    private readonly modules: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const policies = this.types.map((type) => this.modules.get(type, { strict: false }));
    const topics = [...new Set(policies.flatMap((p) => p.topics))];
    await this.transport.ensureTopics(topics.map((topic) => ({ topic, partitions: this.config.kafkaPartitions })));
    for (const policy of policies) {
      const runner = new PolicyRunner(this.pool, this.transport, policy, {
        groupPrefix: `${this.config.kafkaTopicPrefix}${this.config.serviceName}`, logger: this.logger,
        upcasters: this.upcasters,
        deadLetterTopic: deadLetterTopic(this.config.serviceName as ServiceName, this.config.kafkaTopicPrefix),
      });
      this.runners.push(runner);
    }
    // All at once, as the projections (ProjectionsService): each join waits for its group's rebalance.
    await Promise.all(this.runners.map((runner) => runner.start()));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
  }
}
