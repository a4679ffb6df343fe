import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { cloudEventSource, eventsTopic, ServiceName } from '@crm/contracts';
import { PostgresEventStore, Relay, RelayHealth, Transport } from '@crm/eventing';
import { Pool } from 'pg';
import { Logger } from 'pino';
import { ServiceConfig } from '../config/service-config';
import { EVENT_STORE, LOGGER, PG_POOL, SERVICE_CONFIG, TRANSPORT } from './tokens';

/** Every replica runs a relay; the advisory lock lets one publish while the others stand by. */
@Injectable()
export class RelayService implements OnApplicationBootstrap, OnApplicationShutdown {
  private relay?: Relay;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(TRANSPORT) private readonly transport: Transport,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  get topic(): string {
    return eventsTopic(this.config.serviceName as ServiceName, this.config.kafkaTopicPrefix);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.transport.ensureTopics([{ topic: this.topic, partitions: this.config.kafkaPartitions }]);
    this.relay = new Relay(this.pool, this.store, this.transport, {
      name: this.config.serviceName, topic: this.topic, source: cloudEventSource(this.config.serviceName as ServiceName),
      typePrefix: `${this.config.cloudEventsTypePrefix}.crm.${this.config.serviceName}`,
      stallAfterMs: this.config.relayStallSeconds * 1000,
    }, this.logger);
    this.relay.start();
  }

  health(): RelayHealth {
    return this.relay?.health() ?? { state: 'stopped', stalled: false, secondsWithoutProgress: 0, stallAfterSeconds: this.config.relayStallSeconds };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}
