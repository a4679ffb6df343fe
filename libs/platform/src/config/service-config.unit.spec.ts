import { ConfigError, loadServiceConfig } from './service-config';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/customers',
  KAFKA_BROKERS: '127.0.0.1:9092',
  AUTH_DEV_SECRET: 'a-development-secret',
};

describe('service configuration from the environment', () => {
  it('reads a valid environment with defaults', () => {
    const config = loadServiceConfig('customers', 3001, valid);
    expect(config).toMatchObject({ port: 3001, kafkaBrokers: ['127.0.0.1:9092'], kafkaPartitions: 6, auth: { mode: 'dev' } });
  });

  it('names every missing or bad value at once', () => {
    try {
      loadServiceConfig('customers', 3001, { KAFKA_BROKERS: 'nohostport', PORT: 'abc', AUTH_MODE: 'jwks', BUSINESS_TIME_ZONE: 'Mars/Olympus' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/DATABASE_URL is required/);
      expect(problems).toMatch(/KAFKA_BROKERS entry "nohostport"/);
      expect(problems).toMatch(/PORT must be an integer/);
      expect(problems).toMatch(/AUTH_JWKS_URL is required/);
      expect(problems).toMatch(/BUSINESS_TIME_ZONE must be an IANA time zone/);
      expect(problems).toMatch(/PERSONAL_DATA_MASTER_KEY is required when AUTH_MODE=jwks/);
      expect(problems).toMatch(/AUTH_ISSUER is required when AUTH_MODE=jwks/);
      expect(problems).toMatch(/AUTH_AUDIENCE is required when AUTH_MODE=jwks/);
    }
  });

  it('reads how long the relay may go without progress before it counts as stalled', () => {
    expect(loadServiceConfig('customers', 3001, valid).relayStallSeconds).toBe(60);
    expect(loadServiceConfig('customers', 3001, { ...valid, RELAY_STALL_SECONDS: '15' }).relayStallSeconds).toBe(15);
    for (const bad of ['0', '-5', '1.5', 'soon']) {
      expect(() => loadServiceConfig('customers', 3001, { ...valid, RELAY_STALL_SECONDS: bad })).toThrow(/RELAY_STALL_SECONDS must be an integer ≥ 1/);
    }
  });

  it('takes the master keys accepted during a rotation and the blind-index key, each 32 bytes in base64', () => {
    const [current, previous, other, index] = [1, 2, 3, 4].map((n) => Buffer.alloc(32, n));
    const rotating = loadServiceConfig('customers', 3001, { ...valid, PERSONAL_DATA_MASTER_KEY: current.toString('base64'),
      PERSONAL_DATA_ACCEPTED_MASTER_KEYS: `${previous.toString('base64')}, ${other.toString('base64')}`, PERSONAL_DATA_INDEX_KEY: index.toString('base64') });
    expect(rotating).toMatchObject({ personalDataMasterKey: current, personalDataAcceptedMasterKeys: [previous, other], personalDataIndexKey: index });
    const plain = loadServiceConfig('customers', 3001, { ...valid, PERSONAL_DATA_MASTER_KEY: current.toString('base64') });
    expect(plain).toMatchObject({ personalDataAcceptedMasterKeys: [], personalDataIndexKey: current });
    expect(() => loadServiceConfig('customers', 3001, { ...valid, PERSONAL_DATA_ACCEPTED_MASTER_KEYS: 'short' })).toThrow(/PERSONAL_DATA_ACCEPTED_MASTER_KEYS must be 32 bytes/);
    expect(() => loadServiceConfig('customers', 3001, { ...valid, PERSONAL_DATA_INDEX_KEY: Buffer.alloc(8).toString('base64') })).toThrow(/PERSONAL_DATA_INDEX_KEY must be 32 bytes/);
  });

  it('takes a 32-byte base64 personal-data master key and refuses anything else', () => {
    const key = Buffer.alloc(32, 7);
    expect(loadServiceConfig('customers', 3001, { ...valid, PERSONAL_DATA_MASTER_KEY: key.toString('base64') }).personalDataMasterKey).toEqual(key);
    expect(() => loadServiceConfig('customers', 3001, { ...valid, PERSONAL_DATA_MASTER_KEY: Buffer.alloc(16).toString('base64') }))
      .toThrow(/PERSONAL_DATA_MASTER_KEY must be 32 bytes/);
  });

  it('reads Kafka TLS and SASL settings, and names what is missing', () => {
    const secure = loadServiceConfig('customers', 3001, { ...valid, KAFKA_TLS: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'crm', KAFKA_SASL_PASSWORD: 's3cret' });
    expect(secure).toMatchObject({ kafkaTls: {}, kafkaSasl: { mechanism: 'scram-sha-512', username: 'crm', password: 's3cret' } });
    expect(loadServiceConfig('customers', 3001, valid)).toMatchObject({ kafkaTls: undefined, kafkaSasl: undefined });
    expect(() => loadServiceConfig('customers', 3001, { ...valid, KAFKA_TLS: 'yes', KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_TLS_CA_FILE: '/nope.pem' }))
      .toThrow(/KAFKA_TLS must be true or false[\s\S]*KAFKA_SASL_MECHANISM must be one of[\s\S]*KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required/);
    expect(() => loadServiceConfig('customers', 3001, { ...valid, KAFKA_TLS: 'true', KAFKA_TLS_CA_FILE: '/nope.pem' }))
      .toThrow(/KAFKA_TLS_CA_FILE cannot be read/);
  });

  it('outside development an unset AUTH_MODE refuses to start instead of meaning development auth', () => {
    for (const NODE_ENV of ['production', 'staging']) {
      expect(() => loadServiceConfig('customers', 3001, { ...valid, NODE_ENV }))
        .toThrow(new RegExp(`AUTH_MODE is required when NODE_ENV=${NODE_ENV}`));
    }
    for (const NODE_ENV of [undefined, '', 'development', 'test']) {
      expect(loadServiceConfig('customers', 3001, { ...valid, NODE_ENV }).auth).toEqual({ mode: 'dev', secret: valid.AUTH_DEV_SECRET, rolesClaim: 'roles' });
    }
  });

  it('refuses the documented example secret and the public development key outside development', () => {
    const example = { ...valid, AUTH_DEV_SECRET: 'dev-secret-change-me-please' };
    expect(loadServiceConfig('customers', 3001, example).auth).toEqual({ mode: 'dev', secret: 'dev-secret-change-me-please', rolesClaim: 'roles' });
    expect(loadServiceConfig('customers', 3001, { ...example, NODE_ENV: 'development' }).auth.mode).toBe('dev');
    expect(() => loadServiceConfig('customers', 3001, { ...example, NODE_ENV: 'production', AUTH_MODE: 'dev' }))
      .toThrow(/AUTH_DEV_SECRET must not be the documented example[\s\S]*PERSONAL_DATA_MASTER_KEY is required when NODE_ENV=production/);
    // Development auth chosen on purpose, with a secret and a key of its own, is allowed.
    const chosen = { ...valid, NODE_ENV: 'production', AUTH_MODE: 'dev', PERSONAL_DATA_MASTER_KEY: Buffer.alloc(32, 2).toString('base64') };
    expect(loadServiceConfig('customers', 3001, chosen).auth).toEqual({ mode: 'dev', secret: valid.AUTH_DEV_SECRET, rolesClaim: 'roles' });
  });

  it('requires the issuer and audience with JWKS, and a URL for the key set', () => {
    const jwks = { ...valid, AUTH_MODE: 'jwks', AUTH_JWKS_URL: 'https://login.example.com/jwks.json', AUTH_ISSUER: 'https://login.example.com',
      AUTH_AUDIENCE: 'crm-api', PERSONAL_DATA_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') };
    expect(loadServiceConfig('customers', 3001, jwks).auth).toEqual({ mode: 'jwks', jwksUrl: jwks.AUTH_JWKS_URL, issuer: jwks.AUTH_ISSUER, audience: 'crm-api', rolesClaim: 'roles' });
    expect(() => loadServiceConfig('customers', 3001, { ...jwks, AUTH_JWKS_URL: 'login.example.com' })).toThrow(/AUTH_JWKS_URL must be an http\(s\) URL/);
  });

  it('reads the roles claim, the migrations switch and the topic-creation switch, refusing malformed values', () => {
    expect(loadServiceConfig('customers', 3001, valid)).toMatchObject({ migrationsAtStartup: true, kafkaCreateTopics: true, auth: { rolesClaim: 'roles' } });
    expect(loadServiceConfig('customers', 3001, { ...valid, MIGRATIONS_AT_STARTUP: 'false', KAFKA_CREATE_TOPICS: 'false', AUTH_ROLES_CLAIM: 'realm_access.roles' }))
      .toMatchObject({ migrationsAtStartup: false, kafkaCreateTopics: false, auth: { rolesClaim: 'realm_access.roles' } });
    expect(() => loadServiceConfig('customers', 3001, { ...valid, MIGRATIONS_AT_STARTUP: 'no', KAFKA_CREATE_TOPICS: '0', AUTH_ROLES_CLAIM: 'a..b' }))
      .toThrow(/MIGRATIONS_AT_STARTUP must be true or false[\s\S]*KAFKA_CREATE_TOPICS must be true or false|AUTH_ROLES_CLAIM/);
    expect(() => loadServiceConfig('customers', 3001, { ...valid, AUTH_ROLES_CLAIM: 'a..b' })).toThrow(/AUTH_ROLES_CLAIM must be a claim name or a dotted path/);
  });

  it('namespaces CloudEvents types by a reverse-DNS prefix (com.example unless set)', () => {
    expect(loadServiceConfig('customers', 3001, valid).cloudEventsTypePrefix).toBe('com.example');
    expect(loadServiceConfig('customers', 3001, { ...valid, CLOUD_EVENTS_TYPE_PREFIX: 'com.acme' }).cloudEventsTypePrefix).toBe('com.acme');
    expect(() => loadServiceConfig('customers', 3001, { ...valid, CLOUD_EVENTS_TYPE_PREFIX: 'Acme Corp' })).toThrow(/CLOUD_EVENTS_TYPE_PREFIX must be a reverse-DNS name/);
  });

  it('reads the HTTP edge limits with defaults, and which ops endpoints answer without a token', () => {
    expect(loadServiceConfig('customers', 3001, valid).http).toEqual({ maxBodyBytes: 1_048_576, maxHeaderBytes: 16_384, keepAliveTimeoutMs: 65_000,
      writeRatePerMinute: 3000, writeBurst: 1000, publicOps: { metrics: false, docs: false } });
    expect(loadServiceConfig('customers', 3001, { ...valid, HTTP_MAX_BODY_BYTES: '65536', HTTP_MAX_HEADER_BYTES: '8192',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '120000', RATE_LIMIT_WRITES_PER_MINUTE: '0', RATE_LIMIT_WRITE_BURST: '20', PUBLIC_OPS_ENDPOINTS: 'metrics' }).http)
      .toEqual({ maxBodyBytes: 65536, maxHeaderBytes: 8192, keepAliveTimeoutMs: 120_000, writeRatePerMinute: 0, writeBurst: 20, publicOps: { metrics: true, docs: false } });
    expect(loadServiceConfig('customers', 3001, { ...valid, PUBLIC_OPS_ENDPOINTS: 'true' }).http.publicOps).toEqual({ metrics: true, docs: true });
    expect(loadServiceConfig('customers', 3001, { ...valid, PUBLIC_OPS_ENDPOINTS: 'docs, metrics' }).http.publicOps).toEqual({ metrics: true, docs: true });
    const bad = { ...valid, PUBLIC_OPS_ENDPOINTS: 'metrics,health', HTTP_MAX_BODY_BYTES: '10', RATE_LIMIT_WRITE_BURST: '0', HTTP_KEEP_ALIVE_TIMEOUT_MS: '500' };
    expect(() => loadServiceConfig('customers', 3001, bad)).toThrow(/PUBLIC_OPS_ENDPOINTS must be true, false or a list of metrics,docs, got "health"/);
    expect(() => loadServiceConfig('customers', 3001, bad)).toThrow(/HTTP_MAX_BODY_BYTES must be an integer ≥ 1024/);
    expect(() => loadServiceConfig('customers', 3001, bad)).toThrow(/RATE_LIMIT_WRITE_BURST must be an integer ≥ 1/);
    expect(() => loadServiceConfig('customers', 3001, bad)).toThrow(/HTTP_KEEP_ALIVE_TIMEOUT_MS must be an integer ≥ 1000/);
  });

  it('checks issuer and audience in development mode too when they are set', () => {
    expect(loadServiceConfig('customers', 3001, { ...valid, AUTH_ISSUER: 'https://login.test', AUTH_AUDIENCE: 'crm-api' }).auth)
      .toEqual({ mode: 'dev', secret: valid.AUTH_DEV_SECRET, rolesClaim: 'roles', issuer: 'https://login.test', audience: 'crm-api' });
  });
});
