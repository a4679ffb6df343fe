import { createRemoteJWKSet, jwtVerify, JWTPayload, SignJWT } from 'jose';
import { Actor } from '@crm/contracts';
import { ServiceConfig } from '../config/service-config';
import { Role, ROLES } from './roles';

export class InvalidTokenError extends Error {}

/** Dev: a shared HS256 secret; production: the identity provider's JWKS URL. */
export class TokenVerifier {
  private readonly key: Parameters<typeof jwtVerify>[1];

  constructor(private readonly auth: ServiceConfig['auth']) {
    this.key = auth.mode === 'dev'
      ? new TextEncoder().encode(auth.secret)
      : createRemoteJWKSet(new URL(auth.jwksUrl));
  }

  async verify(token: string): Promise<Actor> {
    let payload: JWTPayload;
    try {
      // Algorithms pinned: a shared secret signs HS256 only; identity providers sign asymmetrically.
      // `alg: none` is in neither list, so an unsigned token never verifies.
      const algorithms = this.auth.mode === 'jwks' ? ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'] : ['HS256'];
      const options = { algorithms, ...(this.auth.issuer ? { issuer: this.auth.issuer } : {}), ...(this.auth.audience ? { audience: this.auth.audience } : {}) };
      ({ payload } = await jwtVerify(token, this.key as any, options));
    } catch (error: any) {
      throw new InvalidTokenError(`invalid bearer token: ${error?.code ?? error?.message ?? error}`);
    }
    const claimed = rolesAt(payload, this.auth.rolesClaim);
    const roles = (Array.isArray(claimed) ? claimed : []).filter((r): r is Role => ROLES.includes(r as Role));
    // The subject becomes the actor of every event the request records, and a Kafka header.
    if (typeof payload.sub !== 'string' || payload.sub.trim() === '' || payload.sub.length > 200) {
      throw new InvalidTokenError('invalid bearer token: the subject must be a non-empty string of at most 200 characters');
    }
    if (payload.exp === undefined) throw new InvalidTokenError('invalid bearer token: it has no expiry (exp)');
    return { id: payload.sub, roles };
  }
}

/**
 * The roles claim: a top-level claim of that name (names may hold dots, e.g. a namespaced
 * `https://example.com/roles`), else the dotted path (Keycloak's `realm_access.roles`).
 */
export function rolesAt(payload: JWTPayload, claim: string): unknown {
  if (Object.hasOwn(payload, claim)) return payload[claim];
  let at: unknown = payload;
  for (const part of claim.split('.')) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, part)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

/** Development tokens (README: `npm run token -- <role> [subject]`). */
export async function mintDevToken(secret: string, subject: string, roles: Role[], ttl = '8h'): Promise<string> {
  return new SignJWT({ roles }).setProtectedHeader({ alg: 'HS256' }).setSubject(subject)
    .setIssuedAt().setExpirationTime(ttl).sign(new TextEncoder().encode(secret));
}
