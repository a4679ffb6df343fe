import fc from 'fast-check';
import { Route, Schema } from './openapi-routes';

/** A request as the fuzzer sends it: everything a client controls, some of it malformed. */
export interface FuzzRequest {
  route: Route;
  path: string;
  query: string;
  headers: Record<string, string>;
  /** Raw text: malformed JSON, prototype keys and lone surrogates survive as sent. */
  body?: string;
  /** Which token goes in `authorization` ('none' sends none); resolved when the request is sent. */
  identity: 'admin' | 'role' | 'garbage' | 'none';
}

/** Ids the services handed out during the run: requests that name them reach real aggregates. */
export class KnownIds {
  readonly ids: string[] = [];
  add(id: unknown): void {
    if (typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id) && this.ids.length < 5000) this.ids.push(id);
  }
  pick(index: number, fallback: string): string {
    return this.ids.length === 0 ? fallback : this.ids[index % this.ids.length];
  }
}

// Header values must be ByteStrings without CR, LF or NUL (fetch refuses others before sending).
const headerText = fc.string({ unit: fc.constantFrom(...' !"#$%&\'()*+,-./0123456789:;<=>?@AZaz[\\]^_`{|}~\tÿé'.split('')), maxLength: 60 });
const nasty = fc.constantFrom('', ' ', '0', '-1', 'null', 'true', '[]', '{}', 'NaN', 'Infinity', '1e400', '9007199254740993', '2026-02-30', '2026-13-01',
  '9999-12-31', '0000-00-00', '2026-01-31T25:00:00Z', 'CNY', 'cny', 'XXX', '../../etc/passwd', '%00', '\u0000', '\ud800', '😀', '杭州', "' OR 1=1 --",
  '<script>alert(1)</script>', '__proto__', 'constructor', 'a'.repeat(5000));
/** Usually nothing, once in a while a value (fc.option's `freq` weighs the other way round). */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, oneIn = 10) => fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
const someText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }), nasty);
const dates = fc.oneof(fc.constantFrom('2026-01-31', '2026-03-01', '1900-01-01', '2999-12-31'), fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)));
const instants = fc.oneof(fc.constantFrom('2026-01-31T08:00:00Z', '2026-03-01T16:00:00+08:00'), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
const numbers = fc.oneof(fc.integer(), fc.nat({ max: 10_000_000 }), fc.double(), fc.constantFrom(0, -1, 1, 100, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e308, -0.5));

function idLike(known: KnownIds): fc.Arbitrary<string> {
  return fc.oneof({ weight: 3, arbitrary: fc.tuple(fc.nat(), fc.uuid()).map(([i, uuid]) => known.pick(i, uuid)) },
    { weight: 1, arbitrary: fc.uuid() }, { weight: 1, arbitrary: someText });
}

/** A value for a schema: mostly of the right shape (to get past validation), often not. */
export function valueFor(schema: Schema | undefined, name: string, known: KnownIds, depth = 0): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(fc.jsonValue({ maxDepth: 2 }), someText, numbers);
  const right = rightValueFor(schema, name, known, depth);
  return fc.oneof({ weight: 12, arbitrary: right }, { weight: 1, arbitrary: wrong });
}

function rightValueFor(schema: Schema | undefined, name: string, known: KnownIds, depth: number): fc.Arbitrary<unknown> {
  // The documented example is usually valid: weighted up, so requests get past validation to the handlers.
  const examples = schema?.example !== undefined ? [{ weight: 4, arbitrary: fc.constant(schema.example) }] : [];
  if (schema?.enum) return fc.constantFrom(...schema.enum);
  if (/(^id$|Id$)/.test(name) || schema?.format === 'uuid') return idLike(known);
  if (/(On|Date|^asOf|^from|^to|Before)$/.test(name) || schema?.format === 'date') return fc.oneof({ weight: 4, arbitrary: dates }, { weight: 1, arbitrary: someText });
  if (/At$/.test(name)) return fc.oneof({ weight: 4, arbitrary: instants }, { weight: 1, arbitrary: someText });
  if (/currency/i.test(name)) return fc.constantFrom('CNY', 'USD', 'EUR', 'cny', 'XYZ');
  switch (schema?.type) {
    case 'string': return fc.oneof(...examples, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 30 }) }, { weight: 1, arbitrary: someText });
    case 'number': case 'integer': return fc.oneof(...examples, { weight: 1, arbitrary: numbers });
    case 'boolean': return fc.boolean();
    case 'array': return depth > 3 ? fc.constant([]) : fc.array(valueFor(schema.items, name, known, depth + 1), { maxLength: 4 });
    case 'object': return depth > 3 ? fc.constant({}) : objectFor(schema, known, depth + 1);
    default: return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectFor(schema: Schema, known: KnownIds, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties: Record<string, Schema> = schema.properties ?? {};
  const record = fc.record(Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, valueFor(v, k, known, depth)])),
    { requiredKeys: [] }) as fc.Arbitrary<Record<string, unknown>>;
  const required: string[] = schema.required ?? [];
  // Usually every required field is there; sometimes a few are not, or an unknown one is added.
  return fc.tuple(record, fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))), rarely(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue({ maxDepth: 1 })), 8))
    .chain(([values, dropSome, extra]) => {
      const filled = fc.record(Object.fromEntries(required.filter((k) => !(k in values)).map((k) => [k, valueFor(properties[k], k, known, depth)])));
      return filled.map((more) => {
        const out = { ...values, ...(dropSome ? {} : more) };
        if (extra) out[extra[0]] = extra[1];
        return out;
      });
    });
}

/** Percent-encoding that keeps a lone surrogate as the invalid UTF-8 a client could still send. */
function encode(text: string): string {
  return text.split(/([\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/)
    .map((part, i) => (i % 2 === 1 ? '%ED%A0%80' : encodeURIComponent(part))).join('');
}

function deepArray(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

const malformedBodies = fc.oneof(
  fc.constantFrom('{', '{"a":', '[1,2', 'null', '"text"', '42', 'true', '{"a":1,"a":2}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}',
    '{"prototype":1}', '{"a":"\\u0000"}', '{"a":"\\ud800"}', '{"\\u0000":1}', '{"amount":1e400}', '{"amount":-0}', '\ufeff{}', '', ' '),
  fc.integer({ min: 20, max: 200 }).map(deepArray),
  fc.integer({ min: 20, max: 80 }).map((d) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`),
  fc.string({ maxLength: 80 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
);

function bodyFor(route: Route, known: KnownIds): fc.Arbitrary<string | undefined> {
  // fetch sends no body with a GET (the HTTP edge spec sends one to the probes by hand).
  if (route.method === 'GET') return fc.constant(undefined);
  const wellFormed = route.body ? objectFor(route.body, known, 0).map((v) => JSON.stringify(v)) : fc.constantFrom('{}', '{"reason":"x"}');
  return fc.oneof({ weight: 6, arbitrary: wellFormed }, { weight: 3, arbitrary: malformedBodies }, { weight: 1, arbitrary: fc.constant(undefined) });
}

const PATH_FIXTURES: Record<string, string[]> = {
  businessDate: ['2026-01-31', '2026-02-30', '2999-12-31'], period: ['2026-01', '2026-13', '1899-12'], tier: ['member', 'silver', 'gold', 'platinum', 'diamond'],
  name: ['customers-directory', 'customer-directory', 'credit-positions', 'receivables-invoices', 'no-such'],
};

function pathValue(name: string, known: KnownIds): fc.Arbitrary<string> {
  const fixtures = PATH_FIXTURES[name] ?? [];
  return fc.oneof(
    { weight: 5, arbitrary: fixtures.length > 0 ? fc.constantFrom(...fixtures) : idLike(known) },
    { weight: 2, arbitrary: someText.map((s) => encode(s) || '%20') },
    { weight: 1, arbitrary: fc.constantFrom('%', '%E0%A4%A', '%ZZ', '..%2F..%2F', '%2e%2e', 'a%00b', '%C0%AF') },
  );
}

function queryFor(route: Route, known: KnownIds): fc.Arbitrary<string> {
  const declared = route.query.map((q) => fc.tuple(fc.constant(q.name), valueFor(q.schema, q.name, known).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))));
  const extra = fc.tuple(fc.constantFrom('__proto__[x]', 'constructor[prototype][x]', 'limit[]', 'a', 'cursor', 'x'.repeat(300)), someText);
  const pairs = fc.array(declared.length > 0 ? fc.oneof(...declared, extra) : extra, { maxLength: 5 });
  return pairs.map((list) => (list.length === 0 ? '' : `?${list.map(([k, v]) => `${encode(k)}=${encode(String(v ?? ''))}`).join('&')}`));
}

function headersFor(route: Route): fc.Arbitrary<Record<string, string>> {
  // Mostly JSON (to reach validation and the handlers), sometimes what a confused client sends.
  const contentType = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/merge-patch+json') },
    { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', '') });
  return fc.record({
    'content-type': contentType,
    'content-encoding': rarely(fc.constantFrom('gzip', 'identity', 'br')),
    'idempotency-key': fc.oneof(fc.uuid(), headerText, fc.constant('k'.repeat(201))),
    'if-match': fc.oneof(fc.nat({ max: 5 }).map((n) => `"${n}"`), headerText, fc.constantFrom('*', 'W/"1"', '"-1"', '"1.5"', '""')),
    accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml'),
    'accept-language': headerText,
    'x-forwarded-for': headerText,
    traceparent: fc.oneof(headerText, fc.constant('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')),
  }, { requiredKeys: route.method === 'GET' ? [] : ['content-type'] })
    .map((headers) => Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>);
}

/** Requests for one route: its documented path, query and headers filled with good and bad values. */
export function requestFor(route: Route, known: KnownIds): fc.Arbitrary<FuzzRequest> {
  const params = route.pathParams.map((name) => pathValue(name, known));
  return fc.record({
    values: fc.tuple(...params),
    query: queryFor(route, known),
    headers: headersFor(route),
    body: bodyFor(route, known),
    identity: fc.oneof({ weight: 14, arbitrary: fc.constant<FuzzRequest['identity']>('admin') }, { weight: 4, arbitrary: fc.constant<FuzzRequest['identity']>('role') },
      { weight: 1, arbitrary: fc.constantFrom<FuzzRequest['identity']>('garbage', 'none') }),
  }).map(({ values, query, headers, body, identity }) => {
    let i = 0;
    return { route, path: route.path.replace(/\{\w+\}/g, () => values[i++]), query, headers, body, identity };
  });
}
