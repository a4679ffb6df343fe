/**
 * The response headers helmet would set, without the dependency: an API answers JSON that no
 * browser should sniff, frame, cache or hand to another origin. Swagger UI (`/docs`) needs its
 * own scripts and styles, so it gets a page policy instead of the API's `default-src 'none'`.
 */
const COMMON: Array<[string, string]> = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
];
const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
const DOCS_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

/** As `name: value` pairs, for answers written straight to the socket (431 from the HTTP parser). */
export function securityHeaders(path = ''): Array<[string, string]> {
  const docs = path === '/docs' || path.startsWith('/docs/') || path.startsWith('/docs-');
  return [...COMMON, ['Content-Security-Policy', docs ? DOCS_POLICY : API_POLICY],
    // Answers hold customers' data: no shared or browser cache keeps them (ETags still revalidate).
    ...(docs ? [] : [['Cache-Control', 'no-store'] as [string, string]])];
}

export function securityHeadersMiddleware() {
  return (request: { path?: string; url?: string }, response: { setHeader(name: string, value: string): void }, next: () => void) => {
    for (const [name, value] of securityHeaders(request.path ?? request.url ?? '')) response.setHeader(name, value);
    next();
  };
}
