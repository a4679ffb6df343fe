import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../eventing/tokens';
import { isWrite, routeKind } from '../http/request-kind';
import { ROLES_KEY } from './auth.decorators';
import { InvalidTokenError, TokenVerifier } from './token-verifier';
import { Role } from './roles';

/** The bearer token of a request, as the verifier wants it (the scheme is case-insensitive, RFC 9110). */
export function bearerOf(header: unknown): string | undefined {
  return typeof header === 'string' ? /^bearer +(\S+)$/i.exec(header.trim())?.[1] : undefined;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly verifier: TokenVerifier,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const kind = routeKind(this.reflector, context);
    if (kind.public) return true;
    if (kind.ops && this.config.http.publicOps[kind.ops]) return true;
    const request = context.switchToHttp().getRequest();
    const token = bearerOf(request.headers.authorization);
    if (!token) throw new UnauthorizedException('a bearer token is required');
    try {
      request.actor = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException(error.message);
      throw error;
    }
    if (kind.ops) return true;
    const declared = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, [context.getHandler(), context.getClass()]) ?? [];
    // The auditor reads everything and changes nothing, whatever a route's list says.
    const allowed = isWrite(request) ? declared.filter((r) => r !== 'auditor') : declared;
    if (!request.actor.roles.some((r: Role) => r === 'admin' || allowed.includes(r))) {
      throw new ForbiddenException(allowed.length > 0 ? `this action needs one of the roles: ${allowed.join(', ')}` : 'this action needs the role: admin');
    }
    return true;
  }
}
