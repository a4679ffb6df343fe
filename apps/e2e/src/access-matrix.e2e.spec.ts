import { randomUUID } from 'node:crypto';
import { ROLES } from '@crm/platform';
import { Access, EXPECTED_ACCESS, mayCall } from './edge/expected-access';
import { eventCounts, FourServices, inPool, startFourServices } from './edge/four-services';
import { OPS_ROUTES, routeKey, routesOf, Service, SERVICES } from './edge/openapi-routes';
import { TestIdentityProvider } from './edge/test-identity-provider';

/**
 * Access control, proven: every route of every service's OpenAPI document (and the ops
 * endpoints) × every role, a token without roles and every kind of bad token, against the
 * four services as processes with production auth (JWKS, issuer and audience checked). The
 * expected outcome of each call comes from one table (edge/expected-access.ts); a route the
 * table does not know fails here. Allowed writes carry a field no endpoint takes, so an allowed
 * call is refused by validation after the guard and writes nothing.
 */
const PATH_VALUES: Record<string, string> = { businessDate: '2026-01-31', period: '2026-01', tier: 'silver', name: 'no-such-projection' };

interface Call { service: Service; method: string; path: string; key: string; identity: string; token?: string; roles: string[]; valid: boolean }

describe('access control matrix (four services as processes, production auth, real PostgreSQL + Kafka)', () => {
  let idp: TestIdentityProvider;
  let system: FourServices;

  beforeAll(async () => {
    idp = await TestIdentityProvider.start();
    system = await startFourServices({ ...idp.env(), SLA_WATCH_SECONDS: '0' });
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
    await idp?.stop();
  });

  it('has one expected outcome for every route the services document, and none for a route they do not', () => {
    const problems = SERVICES.flatMap((service) => {
      const documented = new Set([...routesOf(service).map(routeKey), ...OPS_ROUTES]);
      const table = Object.keys(EXPECTED_ACCESS[service]);
      return [
        ...[...documented].filter((r) => !table.includes(r)).map((r) => `${service}: no expected access for ${r} — add a row to edge/expected-access.ts`),
        ...table.filter((r) => !documented.has(r)).map((r) => `${service}: a row for ${r}, which the service does not document`),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('lets the auditor read everything and write nothing, by the table', () => {
    const wrong = SERVICES.flatMap((service) => Object.entries(EXPECTED_ACCESS[service]).filter(([route, access]) => {
      const auditorMay = mayCall(access, ['auditor']);
      return route.startsWith('GET ') ? !auditorMay : auditorMay;
    }).map(([route]) => `${service} ${route}`));
    expect(wrong).toEqual([]);
  });

  it('answers every route × identity as the table says: 0 unexpected allows, 0 unexpected denials, no 5xx, nothing written', async () => {
    const identities: Array<{ identity: string; token?: string; roles: string[]; valid: boolean }> = [
      ...(await Promise.all(ROLES.map(async (role) => ({ identity: role, token: await idp.token([role], `matrix-${role}`), roles: [role], valid: true })))),
      { identity: 'no roles', token: await idp.token([], 'matrix-nobody'), roles: [], valid: true },
      { identity: 'unknown role', token: await idp.token(['wizard'], 'matrix-wizard'), roles: ['wizard'], valid: true },
      ...Object.entries(await idp.badTokens()).map(([identity, token]) => ({ identity, token, roles: [], valid: false })),
    ];
    const calls: Call[] = SERVICES.flatMap((service) => {
      const routes = [...routesOf(service).map((r) => ({ method: r.method, path: r.path })),
        ...OPS_ROUTES.map((r) => ({ method: r.split(' ')[0], path: r.split(' ')[1] }))];
      return routes.flatMap((route) => identities.map((identity) => ({
        service, method: route.method, key: routeKey(route), ...identity,
        path: route.path.replace(/\{(\w+)\}/g, (_m, name: string) => PATH_VALUES[name] ?? randomUUID()),
      })));
    });
    const before = await eventCounts(system.dbs);
    const surprises: string[] = [];
    const failures: string[] = [];
    await inPool(calls, 8, async (call) => {
      const access: Access | undefined = EXPECTED_ACCESS[call.service][call.key];
      if (access === undefined) return; // reported by the first test
      const write = call.method !== 'GET';
      const response = await fetch(`${system.urls[call.service]}${call.path}`, {
        method: call.method,
        headers: { ...(call.token !== undefined ? { authorization: `Bearer ${call.token}` } : {}), ...(write ? { 'content-type': 'application/json' } : {}) },
        body: write ? JSON.stringify({ accessMatrixProbe: true }) : undefined,
      });
      const text = await response.text();
      const type = /^\{/.test(text) ? (JSON.parse(text).type as string | undefined) ?? '' : '';
      const denied = response.status === 401 || (response.status === 403 && type.endsWith('/forbidden'));
      const expected = access === 'public' || (call.valid && mayCall(access, call.roles));
      const where = `${call.service} ${call.key} as ${call.identity}`;
      if (response.status >= 500) failures.push(`${where}: ${response.status} ${text.slice(0, 200)}`);
      if (expected && denied) surprises.push(`${where}: unexpected denial ${response.status}`);
      if (!expected && !denied) surprises.push(`${where}: unexpected allow ${response.status}`);
      // A bad token is unauthenticated (401), a good one without the role forbidden (403).
      if (!expected && denied && response.status !== (call.valid ? 403 : 401)) surprises.push(`${where}: denied with ${response.status}`);
    });
    expect(surprises).toEqual([]);
    expect(failures).toEqual([]);
    expect(await eventCounts(system.dbs)).toEqual(before);
    // The matrix is as big as the table says: routes × identities, nothing skipped.
    expect(calls.length).toBe(SERVICES.reduce((n, s) => n + Object.keys(EXPECTED_ACCESS[s]).length, 0) * identities.length);
    // About 30 s alone on 2 cores; minutes when the machine is shared.
  }, 600_000);
});
