import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { InvalidTokenError, TokenVerifier } from './token-verifier';
import { Role } from './roles';

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly verifier: TokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const header: string = request.headers.authorization ?? '';
    // The scheme name is case-insensitive (RFC 9110): `bearer` is as good as `Bearer`.
    const bearer = /^bearer +(\S+)$/i.exec(header.trim());
    if (!bearer) throw new UnauthorizedException('a bearer token is required');
    try {
      request.actor = await this.verifier.verify(bearer[1]);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new UnauthorizedException(error.message);
      throw error;
    }
    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    if (allowed && !request.actor.roles.some((r: Role) => r === 'admin' || allowed.includes(r))) {
      throw new ForbiddenException(`this action needs one of the roles: ${allowed.join(', ')}`);
    }
    return true;
  }
}
