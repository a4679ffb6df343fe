import { Inject, Injectable, NotFoundException, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { deadLetterTopic, ServiceName } from '@crm/contracts';
import { DocumentProjection, ProjectionRunner, Transport, UpcasterRegistry } from '@crm/eventing';
import { Pool } from 'pg';
import { Logger } from 'pino';
import { ServiceConfig } from '../config/service-config';
import { LOGGER, PG_POOL, SERVICE_CONFIG, TRANSPORT, UPCASTERS } from './tokens';

export const PROJECTIONS = Symbol('PROJECTIONS');

/** Runs the service's read models live and exposes rebuild and parked-event replay. */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly runners = new Map<string, ProjectionRunner>();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(PROJECTIONS) private readonly projections: DocumentProjection[],
    /** The registry the service's event store reads with: the service's own upcasters too. */
    @Inject(UPCASTERS) private readonly upcasters: UpcasterRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const topics = [...new Set(this.projections.flatMap((p) => p.topics))];
    // Consumers must not wait for the producing service to create its topic first.
    await this.transport.ensureTopics(topics.map((topic) => ({ topic, partitions: this.config.kafkaPartitions })));
    for (const projection of this.projections) {
      const runner = new ProjectionRunner(this.pool, this.transport, projection,
        { groupPrefix: `${this.config.kafkaTopicPrefix}${this.config.serviceName}`, logger: this.logger,
          upcasters: this.upcasters,
          deadLetterTopic: deadLetterTopic(this.config.serviceName as ServiceName, this.config.kafkaTopicPrefix) });
      this.runners.set(projection.name, runner);
    }
    // All at once: each runner joins its own consumer group, and a join waits for the group's
    // rebalance (the other replicas rejoining, a dead member's session running out). One after
    // another, a restarted replica took minutes to be ready; together, about one join.
    await Promise.all([...this.runners.values()].map((runner) => runner.start()));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
  }

  runner(name: string): ProjectionRunner {
    const runner = this.runners.get(name);
    if (!runner) throw new NotFoundException(`no projection named ${name}`);
    return runner;
  }
}
