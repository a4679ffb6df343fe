import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { anchorChainHeads, PostgresEventStore } from '@crm/eventing';
import { Logger } from 'pino';
import { ServiceConfig } from '../config/service-config';
import { EVENT_STORE, LOGGER, SERVICE_CONFIG } from '../eventing/tokens';

/**
 * Every AUDIT_ANCHOR_INTERVAL_SECONDS (0: never), records `ChainHeadsAnchored` over the
 * service's store; the relay publishes it on the service's own topic like any other event.
 * Replicas take turns (an advisory lock), and an idle store records no new anchor.
 */
@Injectable()
export class ChainAnchorService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.config.auditAnchorIntervalSeconds;
    if (seconds <= 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.anchor().finally(() => {
        this.running = undefined;
      });
    }, seconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One anchor now (the interval's work; a failure is logged and retried next time). */
  async anchor() {
    try {
      const outcome = await anchorChainHeads(this.store, { now: new Date().toISOString() });
      if (outcome.anchored) {
        this.logger.info({ anchor: { root: outcome.anchor!.root, streams: outcome.anchor!.streams, lastGlobalPosition: outcome.anchor!.lastGlobalPosition }, durationMs: outcome.durationMs }, 'chain heads anchored');
      }
      return outcome;
    } catch (error) {
      this.logger.warn({ err: error }, 'chain anchor failed; retrying at the next interval');
      return undefined;
    }
  }
}
