import { actorScopedIdempotencyKey } from './idempotency-key.guard';
import { parserErrorResponse } from './http-server';
import { securityHeaders } from './security-headers';
import { isProbe } from './json-body';

describe('HTTP edge pieces', () => {
  it('scopes an Idempotency-Key per actor: another actor\'s key is another record, without the actor\'s name in it', () => {
    const mine = actorScopedIdempotencyKey('li.wei@example.cn', 'key-1');
    expect(mine).toBe(actorScopedIdempotencyKey('li.wei@example.cn', 'key-1'));
    expect(mine).not.toBe(actorScopedIdempotencyKey('zhang.min@example.cn', 'key-1'));
    expect(mine).toMatch(/^[A-Za-z0-9_-]{22}:key-1$/);
    expect(mine).not.toContain('li.wei');
  });

  it('answers what the HTTP parser refuses as problem+json: 431 for an oversized head, 400 otherwise', () => {
    const answer = parserErrorResponse('HPE_HEADER_OVERFLOW');
    const [head, body] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(head).toMatch(/\r\nContent-Type: application\/problem\+json\r\n/);
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(head).toContain('X-Content-Type-Options: nosniff');
    expect(JSON.parse(body)).toMatchObject({ status: 431, type: expect.stringMatching(/request-header-fields-too-large$/) });
    expect(parserErrorResponse('HPE_INVALID_METHOD')).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });

  it('sends the API a strict content policy and no caching, and Swagger UI a page policy', () => {
    const api = Object.fromEntries(securityHeaders('/v1/customers'));
    expect(api).toMatchObject({ 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY', 'Cache-Control': 'no-store',
      'Content-Security-Policy': expect.stringContaining("default-src 'none'") });
    const docs = Object.fromEntries(securityHeaders('/docs/swagger-ui.css'));
    expect(docs['Content-Security-Policy']).toContain("default-src 'self'");
    expect(docs['Cache-Control']).toBeUndefined();
  });

  it('knows the probes by their path', () => {
    expect(['/health', '/health/live', '/health/ready'].every(isProbe)).toBe(true);
    expect(['/healthy', '/v1/health/live', '/'].some(isProbe)).toBe(false);
  });
});

describe('decimal places as written', () => {
  it('counts exponent notation too, where class-validator threw', async () => {
    const { decimalPlaces } = await import('./dto-validators');
    expect([0.8, 1.6, 12, 0.1234, 5e-324, 1.5e300, 1e-7, -2.25].map(decimalPlaces)).toEqual([1, 1, 0, 4, 324, 0, 7, 2]);
  });
});
