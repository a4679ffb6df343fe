import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Configuration comes only from the environment and is checked once, at start. */
export interface ServiceConfig {
  serviceName: string;
  port: number;
  databaseUrl: string;
  /** Connections this replica may hold (the server's max_connections must cover every replica's). */
  databasePoolMax: number;
  kafkaBrokers: string[];
  kafkaTopicPrefix: string;
  kafkaPartitions: number;
  kafkaReplicationFactor: number;
  /** TLS and SASL to the brokers; both off for a local broker. */
  kafkaTls?: { ca?: string };
  kafkaSasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  auth: ({ mode: 'dev'; secret: string } | { mode: 'jwks'; jwksUrl: string }) & {
    /** The `iss` and `aud` a token must carry: required with jwks, optional (checked when set) in dev. */
    issuer?: string;
    audience?: string;
    /** Where the token carries the roles: a claim name or a dotted path (Keycloak: `realm_access.roles`). */
    rolesClaim: string;
  };
  logLevel: string;
  /** IANA zone whose calendar dates stamp business actions (e.g. Asia/Shanghai). */
  businessTimeZone: string;
  /** Wraps the per-customer personal-data keys (crypto-shredding); 32 bytes. */
  personalDataMasterKey: Buffer;
  /** Master keys that still unwrap (never wrap) personal-data keys: the previous or next key during a rotation. */
  personalDataAcceptedMasterKeys: Buffer[];
  /** What customers' blind indexes (email, care dates) derive from: the master key unless set, kept across rotations. */
  personalDataIndexKey: Buffer;
  /** The relay counts as stalled (GET /health/relay 503, crm_relay_stalled 1) after this long without progress. */
  relayStallSeconds: number;
  /** How long POST close-day waits for the day-close work before answering 202 with a link. */
  closeDayWaitMs: number;
  /** False when a migration Job runs them (the runtime role then needs no DDL): start-up only checks none is pending. */
  migrationsAtStartup: boolean;
  /** False where topics are declared (Strimzi KafkaTopic): a missing one stops the start. */
  kafkaCreateTopics: boolean;
  /** Reverse-DNS namespace of published CloudEvents types: `<prefix>.crm.<service>.<Type>`. */
  cloudEventsTypePrefix: string;
  /** How often the store's chain heads are anchored (`ChainHeadsAnchored`); 0 turns it off. */
  auditAnchorIntervalSeconds: number;
  /** Request limits and what answers without a token (HTTP_*, RATE_LIMIT_*, PUBLIC_OPS_ENDPOINTS). */
  http: HttpHardening;
}

/** The HTTP edge's limits: body and header sizes, per-actor write rate, the ops endpoints' exposure. */
export interface HttpHardening {
  /** Larger request bodies are a 413 problem+json. */
  maxBodyBytes: number;
  /** Larger request heads (all headers together) are a 431 problem+json, from Node's parser. */
  maxHeaderBytes: number;
  /**
   * How long an idle keep-alive connection stays open. Longer than the idle timeout of any
   * pool that reuses connections to the service (a load balancer's, an ingress's, a client's):
   * whoever closes an idle connection first must be the client, or a request it sends on a
   * connection the server is closing meets a reset.
   */
  keepAliveTimeoutMs: number;
  /** Writes (POST, PUT, PATCH, DELETE) per actor and replica: a token bucket; 0 = unlimited. */
  writeRatePerMinute: number;
  /** How many writes an actor may send at once before the per-minute rate applies. */
  writeBurst: number;
  /** Which of `/metrics` and `/docs` (Swagger UI, `/docs-json`) answer without a token. */
  publicOps: { metrics: boolean; docs: boolean };
}

/** Development only: a known key, so local data stays readable across restarts. */
const DEVELOPMENT_PERSONAL_DATA_KEY = createHash('sha256').update('crm development personal-data key').digest();

/** The development secret the README, the stack and docker-compose show: anyone can sign tokens with it. */
const EXAMPLE_DEV_SECRET = 'dev-secret-change-me-please';

/**
 * Development and test runs (NODE_ENV unset, `development` or `test`) may fall back to
 * development auth and keys; any other environment (the image sets `production`) must choose.
 */
function isDevelopment(env: Env): boolean {
  return ['', 'development', 'test'].includes(env.NODE_ENV ?? '');
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, problems: string[], min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) problems.push(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

function reverseDns(env: Env, problems: string[]): string {
  const prefix = env.CLOUD_EVENTS_TYPE_PREFIX || 'com.example';
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(prefix)) problems.push(`CLOUD_EVENTS_TYPE_PREFIX must be a reverse-DNS name such as com.acme, got "${prefix}"`);
  return prefix;
}

function flag(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== 'true' && raw !== 'false') problems.push(`${name} must be true or false, got "${raw}"`);
  return raw === 'true';
}

export function loadServiceConfig(serviceName: string, defaultPort: number, env: Env = process.env): ServiceConfig {
  const problems: string[] = [];
  const databaseUrl = env.DATABASE_URL ?? '';
  if (!databaseUrl) problems.push('DATABASE_URL is required (postgres://user@host:port/database)');
  else if (!/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push(`DATABASE_URL must start with postgres://, got "${databaseUrl}"`);
  const brokers = (env.KAFKA_BROKERS ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers.length === 0) problems.push('KAFKA_BROKERS is required (host:port[,host:port…])');
  brokers.filter((b) => !/^[^:]+:\d+$/.test(b)).forEach((b) => problems.push(`KAFKA_BROKERS entry "${b}" is not host:port`));

  const development = isDevelopment(env);
  const mode = env.AUTH_MODE || (development ? 'dev' : undefined);
  const rolesClaim = env.AUTH_ROLES_CLAIM || 'roles';
  if (!/^[A-Za-z0-9_:/-]+(\.[A-Za-z0-9_:/-]+)*$/.test(rolesClaim)) {
    problems.push(`AUTH_ROLES_CLAIM must be a claim name or a dotted path such as realm_access.roles, got "${rolesClaim}"`);
  }
  let auth: ServiceConfig['auth'] = { mode: 'dev', secret: '', rolesClaim };
  if (mode === undefined) {
    // Outside development an unset mode must not quietly mean tokens signed with a shared secret.
    problems.push(`AUTH_MODE is required when NODE_ENV=${env.NODE_ENV}: jwks (with AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE), or dev on purpose`);
  } else if (mode === 'dev') {
    const secret = env.AUTH_DEV_SECRET ?? '';
    if (secret.length < 16) problems.push('AUTH_DEV_SECRET must be at least 16 characters when AUTH_MODE=dev');
    if (!development && secret === EXAMPLE_DEV_SECRET) {
      problems.push(`AUTH_DEV_SECRET must not be the documented example "${EXAMPLE_DEV_SECRET}" when NODE_ENV=${env.NODE_ENV}: anyone can sign tokens with it`);
    }
    auth = { mode: 'dev', secret, rolesClaim, ...(env.AUTH_ISSUER ? { issuer: env.AUTH_ISSUER } : {}), ...(env.AUTH_AUDIENCE ? { audience: env.AUTH_AUDIENCE } : {}) };
  } else if (mode === 'jwks') {
    if (!env.AUTH_JWKS_URL) problems.push('AUTH_JWKS_URL is required when AUTH_MODE=jwks');
    else if (!/^https?:\/\/\S+$/.test(env.AUTH_JWKS_URL)) problems.push(`AUTH_JWKS_URL must be an http(s) URL, got "${env.AUTH_JWKS_URL}"`);
    // Without both, any token the identity provider signs for another application would pass.
    if (!env.AUTH_ISSUER) problems.push('AUTH_ISSUER is required when AUTH_MODE=jwks (the iss your identity provider puts in tokens)');
    if (!env.AUTH_AUDIENCE) problems.push('AUTH_AUDIENCE is required when AUTH_MODE=jwks (the aud of tokens meant for this API)');
    auth = { mode: 'jwks', jwksUrl: env.AUTH_JWKS_URL ?? '', issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE, rolesClaim };
  } else {
    problems.push(`AUTH_MODE must be "dev" or "jwks", got "${mode}"`);
  }
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of fatal|error|warn|info|debug|trace|silent, got "${logLevel}"`);
  }
  const businessTimeZone = env.BUSINESS_TIME_ZONE ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone: businessTimeZone });
  } catch {
    problems.push(`BUSINESS_TIME_ZONE must be an IANA time zone like Asia/Shanghai, got "${businessTimeZone}"`);
  }
  const personalDataMasterKey = masterKey(env, mode, development, problems);
  const { kafkaTls, kafkaSasl } = kafkaSecurity(env, problems);
  const config: ServiceConfig = {
    serviceName,
    port: integer(env, 'PORT', defaultPort, problems, 0),
    databaseUrl,
    databasePoolMax: integer(env, 'DATABASE_POOL_MAX', 20, problems),
    kafkaBrokers: brokers,
    kafkaTopicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
    kafkaPartitions: integer(env, 'KAFKA_TOPIC_PARTITIONS', 6, problems),
    kafkaReplicationFactor: integer(env, 'KAFKA_REPLICATION_FACTOR', 1, problems),
    auth,
    logLevel,
    businessTimeZone,
    personalDataMasterKey,
    personalDataAcceptedMasterKeys: acceptedMasterKeys(env, problems),
    personalDataIndexKey: env.PERSONAL_DATA_INDEX_KEY ? base64Key('PERSONAL_DATA_INDEX_KEY', env.PERSONAL_DATA_INDEX_KEY, problems) : personalDataMasterKey,
    kafkaTls,
    kafkaSasl,
    relayStallSeconds: integer(env, 'RELAY_STALL_SECONDS', 60, problems),
    closeDayWaitMs: integer(env, 'CLOSE_DAY_WAIT_MS', 20_000, problems, 0),
    migrationsAtStartup: flag(env, 'MIGRATIONS_AT_STARTUP', true, problems),
    kafkaCreateTopics: flag(env, 'KAFKA_CREATE_TOPICS', true, problems),
    cloudEventsTypePrefix: reverseDns(env, problems),
    auditAnchorIntervalSeconds: integer(env, 'AUDIT_ANCHOR_INTERVAL_SECONDS', 3600, problems, 0),
    http: httpHardening(env, problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const OPS_ENDPOINTS = ['metrics', 'docs'] as const;

/**
 * Defaults an enterprise user expects: 1 MiB bodies (our largest, an invoice of many lines, is
 * a few KiB), Node's 16 KiB request head (room for an identity provider's fat token), and a
 * write rate far above a person's and a batch script's normal pace but one a runaway loop hits.
 */
function httpHardening(env: Env, problems: string[]): HttpHardening {
  const raw = (env.PUBLIC_OPS_ENDPOINTS ?? '').trim();
  const listed = raw === 'true' ? [...OPS_ENDPOINTS] : raw === '' || raw === 'false' ? [] : raw.split(',').map((e) => e.trim());
  listed.filter((e) => !(OPS_ENDPOINTS as readonly string[]).includes(e))
    .forEach((e) => problems.push(`PUBLIC_OPS_ENDPOINTS must be true, false or a list of ${OPS_ENDPOINTS.join(',')}, got "${e}"`));
  return {
    maxBodyBytes: integer(env, 'HTTP_MAX_BODY_BYTES', 1024 * 1024, problems, 1024),
    maxHeaderBytes: integer(env, 'HTTP_MAX_HEADER_BYTES', 16 * 1024, problems, 4096),
    // Above the 60 s idle timeout of AWS's load balancers and ingress-nginx's upstream pool (Node's own default is 5 s).
    keepAliveTimeoutMs: integer(env, 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 65_000, problems, 1000),
    writeRatePerMinute: integer(env, 'RATE_LIMIT_WRITES_PER_MINUTE', 3000, problems, 0),
    writeBurst: integer(env, 'RATE_LIMIT_WRITE_BURST', 1000, problems, 1),
    publicOps: { metrics: listed.includes('metrics'), docs: listed.includes('docs') },
  };
}

/** Required with production auth (JWKS) and outside development; otherwise a fixed development key is used when unset. */
function masterKey(env: Env, authMode: string | undefined, development: boolean, problems: string[]): Buffer {
  const raw = env.PERSONAL_DATA_MASTER_KEY;
  if (raw === undefined || raw === '') {
    if (authMode === 'jwks') problems.push('PERSONAL_DATA_MASTER_KEY is required when AUTH_MODE=jwks (32 random bytes, base64: openssl rand -base64 32)');
    else if (!development) problems.push(`PERSONAL_DATA_MASTER_KEY is required when NODE_ENV=${env.NODE_ENV} (32 random bytes, base64: openssl rand -base64 32): the development key is public`);
    return DEVELOPMENT_PERSONAL_DATA_KEY;
  }
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32 || key.toString('base64') !== raw) {
    problems.push(`PERSONAL_DATA_MASTER_KEY must be 32 bytes written in base64 (44 characters), got ${raw.length} characters`);
  }
  return key;
}

/** 32 bytes in canonical base64, else a problem naming the variable (its value is a secret: never echoed). */
function base64Key(name: string, raw: string, problems: string[]): Buffer {
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32 || key.toString('base64') !== raw) problems.push(`${name} must be 32 bytes written in base64 (44 characters), got ${raw.length} characters`);
  return key;
}

/** PERSONAL_DATA_ACCEPTED_MASTER_KEYS: comma-separated master keys accepted for unwrapping during a rotation. */
export function acceptedMasterKeys(env: Env, problems: string[]): Buffer[] {
  const raw = env.PERSONAL_DATA_ACCEPTED_MASTER_KEYS?.trim();
  if (!raw) return [];
  return raw.split(',').map((part) => base64Key('PERSONAL_DATA_ACCEPTED_MASTER_KEYS', part.trim(), problems));
}

const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** KAFKA_TLS=true (optionally KAFKA_TLS_CA_FILE) and KAFKA_SASL_MECHANISM with its credentials. */
function kafkaSecurity(env: Env, problems: string[]): Pick<ServiceConfig, 'kafkaTls' | 'kafkaSasl'> {
  let kafkaTls: ServiceConfig['kafkaTls'];
  const tls = env.KAFKA_TLS ?? 'false';
  if (!['true', 'false'].includes(tls)) problems.push(`KAFKA_TLS must be true or false, got "${tls}"`);
  if (tls === 'true') {
    kafkaTls = {};
    if (env.KAFKA_TLS_CA_FILE) {
      try {
        kafkaTls.ca = readFileSync(env.KAFKA_TLS_CA_FILE, 'utf8');
      } catch {
        problems.push(`KAFKA_TLS_CA_FILE cannot be read: ${env.KAFKA_TLS_CA_FILE}`);
      }
    }
  }
  const mechanism = env.KAFKA_SASL_MECHANISM;
  if (mechanism === undefined || mechanism === '') return { kafkaTls };
  if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    problems.push(`KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join('|')}, got "${mechanism}"`);
  }
  if (!env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD) {
    problems.push('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required with KAFKA_SASL_MECHANISM');
  }
  return { kafkaTls, kafkaSasl: { mechanism: mechanism as (typeof SASL_MECHANISMS)[number], username: env.KAFKA_SASL_USERNAME ?? '', password: env.KAFKA_SASL_PASSWORD ?? '' } };
}
