import { SignJWT } from 'jose';
import { InvalidTokenError, mintDevToken, TokenVerifier } from './token-verifier';

const secret = 'a-development-secret-for-tests';
const verifier = new TokenVerifier({ mode: 'dev', secret, rolesClaim: 'roles' });
const sign = (claims: Record<string, unknown>, alg = 'HS256', withExpiry = true) => {
  const jwt = new SignJWT(claims).setProtectedHeader({ alg }).setIssuedAt();
  return (withExpiry ? jwt.setExpirationTime('1h') : jwt).sign(new TextEncoder().encode(secret));
};

describe('bearer token verification', () => {
  it('turns a valid token into the actor, keeping only known roles', async () =>
    expect(await verifier.verify(await sign({ sub: 'li.wei', roles: ['collector', 'wizard'] }))).toEqual({ id: 'li.wei', roles: ['collector'] }));

  it('accepts what the development token script mints', async () =>
    expect(await verifier.verify(await mintDevToken(secret, 'test-admin', ['admin']))).toEqual({ id: 'test-admin', roles: ['admin'] }));

  it.each([
    ['a numeric subject', { sub: 12345 }],
    ['an object subject', { sub: { a: 1 } }],
    ['a blank subject', { sub: '  ' }],
    ['no subject', {}],
  ])('refuses %s', async (_what, claims) =>
    expect(verifier.verify(await sign({ roles: ['sales'], ...claims }))).rejects.toBeInstanceOf(InvalidTokenError));

  it('refuses a token without expiry and one signed with another HMAC algorithm', async () => {
    await expect(verifier.verify(await sign({ sub: 'x', roles: ['sales'] }, 'HS256', false))).rejects.toThrow(/no expiry/);
    await expect(verifier.verify(await sign({ sub: 'x', roles: ['sales'] }, 'HS512'))).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('reads the roles where the identity provider puts them (AUTH_ROLES_CLAIM)', async () => {
    const keycloak = new TokenVerifier({ mode: 'dev', secret, rolesClaim: 'realm_access.roles' });
    expect(await keycloak.verify(await sign({ sub: 'kc', realm_access: { roles: ['auditor', 'offline_access'] }, roles: ['admin'] })))
      .toEqual({ id: 'kc', roles: ['auditor'] });
    expect(await keycloak.verify(await sign({ sub: 'kc', realm_access: {} }))).toEqual({ id: 'kc', roles: [] });
    const namespaced = new TokenVerifier({ mode: 'dev', secret, rolesClaim: 'https://crm.example.com/roles' });
    expect(await namespaced.verify(await sign({ sub: 'a0', 'https://crm.example.com/roles': ['collector'] }))).toEqual({ id: 'a0', roles: ['collector'] });
  });
});
