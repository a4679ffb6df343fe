import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWTPayload, SignJWT } from 'jose';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export const ISSUER = 'https://login.test/realms/crm';
export const AUDIENCE = 'crm-api';

/**
 * A stand-in identity provider: an RS256 key pair whose public half is served as a JWKS over
 * HTTP, as the services fetch it in production (AUTH_MODE=jwks), and the bad tokens an
 * attacker or a misconfigured client would send.
 */
export class TestIdentityProvider {
  private constructor(private readonly server: Server, private readonly privateKey: SigningKey, private readonly otherKey: SigningKey,
    private readonly publicPem: string) {}

  static async start(): Promise<TestIdentityProvider> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const other = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    const server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const spki = Buffer.from(await crypto.subtle.exportKey('spki', publicKey as Parameters<typeof crypto.subtle.exportKey>[1])).toString('base64');
    return new TestIdentityProvider(server, privateKey, other.privateKey, `-----BEGIN PUBLIC KEY-----\n${spki}\n-----END PUBLIC KEY-----\n`);
  }

  get jwksUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks`;
  }

  /** The services' environment for this provider. */
  env(): Record<string, string> {
    return { AUTH_MODE: 'jwks', AUTH_JWKS_URL: this.jwksUrl, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE,
      PERSONAL_DATA_MASTER_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64') };
  }

  /** A good token for `roles`; `change` alters its claims or its signing to make a bad one. */
  async token(roles: string[], subject: string, change: { claims?: JWTPayload; expiresIn?: string | number; key?: 'other' } = {}): Promise<string> {
    const claims = { roles, sub: subject, iss: ISSUER, aud: AUDIENCE, iat: Math.floor(Date.now() / 1000) - 7200, ...change.claims };
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setExpirationTime(change.expiresIn ?? '1h').sign(change.key === 'other' ? this.otherKey : this.privateKey);
  }

  /** Bad tokens of every kind: each must be a 401 on every route that needs a token. */
  async badTokens(): Promise<Record<string, string | undefined>> {
    const admin = ['admin'];
    const good = await this.token(admin, 'intruder');
    const [header, payload] = good.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    // Algorithm confusion: HS256 keyed with the provider's public key, which anyone can fetch.
    const hmacKey = new TextEncoder().encode(this.publicPem);
    const confused = await new SignJWT({ roles: admin }).setProtectedHeader({ alg: 'HS256', kid: 'test-key' }).setSubject('intruder')
      .setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('1h').sign(hmacKey);
    return {
      'no token': undefined,
      'not a JWT': 'not-a-jwt',
      expired: await this.token(admin, 'intruder', { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      'wrong signature': await this.token(admin, 'intruder', { key: 'other' }),
      'tampered payload': `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'someone-else' })).toString('base64url')}.${good.split('.')[2]}`,
      'alg none': none,
      'HS256 with the public key': confused,
      'wrong issuer': await this.token(admin, 'intruder', { claims: { iss: 'https://evil.test/realms/crm' } }),
      'wrong audience': await this.token(admin, 'intruder', { claims: { aud: 'another-app' } }),
    };
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
