import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { Logger } from 'pino';
import { LOGGER } from '../eventing/tokens';

/**
 * Shutting down gracefully behind a load balancer: once SIGTERM arrives, readiness fails and
 * every response asks its client to close the connection, so busy keep-alive clients move to
 * other replicas and the HTTP server can close instead of waiting for the SIGKILL.
 */
@Injectable()
export class DrainState implements BeforeApplicationShutdown {
  draining = false;

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  beforeApplicationShutdown(signal?: string): void {
    this.draining = true;
    this.logger.warn({ signal }, 'shutting down: readiness fails, connections close after their response');
  }
}
