import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../eventing/tokens';
import { isWrite, routeKind } from './request-kind';
import { RateLimitedError, WriteRateLimiter } from './write-rate-limiter';

/** Writes per actor (RATE_LIMIT_WRITES_PER_MINUTE, RATE_LIMIT_WRITE_BURST): a 429 with Retry-After beyond. */
@Injectable()
export class WriteRateLimitGuard implements CanActivate {
  private readonly limiter: WriteRateLimiter;

  constructor(private readonly reflector: Reflector, @Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.limiter = new WriteRateLimiter(config.http.writeRatePerMinute, config.http.writeBurst);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest();
    const kind = routeKind(this.reflector, context);
    if (kind.public || kind.ops || !isWrite(request) || !request.actor) return true;
    const taken = this.limiter.take(request.actor.id, Date.now());
    if (!taken.allowed) throw new RateLimitedError(taken.retryAfterSeconds);
    return true;
  }
}
