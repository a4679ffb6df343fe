import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freshDatabase, kafkaBrokers, RunningService, startService, TEST_AUTH_SECRET, TestDatabase, tokenFor } from '@crm/testing';
import { parseAllDocuments } from 'yaml';

const root = path.resolve(__dirname, '../..');
const services = ['customers', 'credit', 'receivables', 'engagement'];
type K8sObject = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any; data?: Record<string, string> };

const render = (overlay: string): K8sObject[] =>
  parseAllDocuments(execFileSync('kubectl', ['kustomize', path.join(root, 'infra/k8s/overlays', overlay)], { encoding: 'utf8' }))
    .map((d) => d.toJSON() as K8sObject);

let classpath = '';
/** The Kubernetes API models (from the Kubernetes OpenAPI schemas) refuse unknown fields, missing required ones, wrong types. */
function validate(objects: K8sObject[]): { status: number | null; output: string } {
  classpath ||= (() => {
    const file = path.join(root, '.local/k8s-validate.classpath');
    execFileSync('mvn', ['-q', '-f', path.join(root, 'infra/k8s/validate/pom.xml'), 'dependency:build-classpath', `-Dmdep.outputFile=${file}`], { stdio: 'inherit' });
    return readFileSync(file, 'utf8');
  })();
  const result = spawnSync('java', ['-cp', classpath, path.join(root, 'infra/k8s/validate/ValidateManifests.java')],
    { input: JSON.stringify(objects), encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}
const custom = (o: K8sObject) => ['KafkaTopic', 'ServiceMonitor'].includes(o.kind);
const keysOf = (value: object) => Object.keys(value).sort();

describe('Kubernetes manifests: both overlays render and every object is valid (kubectl kustomize + the Kubernetes API models)', () => {
  it('are generated from services.json (scripts/k8s-write.cjs --check)', () => {
    expect(spawnSync(process.execPath, [path.join(root, 'scripts/k8s-write.cjs'), '--check'], { encoding: 'utf8' }).status).toBe(0);
  });

  it.each(['dev', 'production'])('%s: every built-in object passes the Kubernetes schemas', (overlay) => {
    const { status, output } = validate(render(overlay).filter((o) => !custom(o)));
    expect(output).toMatch(/\d+ valid, 0 invalid/);
    expect(status).toBe(0);
  }, 180_000);

  it('fails on a typo (an unknown field) and on a missing required field', () => {
    const objects = render('production').filter((o) => !custom(o));
    const deployment = objects.find((o) => o.kind === 'Deployment')!;
    deployment.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    delete objects.find((o) => o.kind === 'CronJob')!.spec.schedule;
    const { status, output } = validate(objects);
    expect(status).toBe(1);
    expect(output).toMatch(/INVALID apps\/v1 Deployment .*`imagePullPolicyy`/);
    expect(output).toMatch(/INVALID batch\/v1 CronJob crm-day-close: The required field `schedule`/);
  }, 180_000);

  it.each(['dev', 'production'])('%s: each service has its deployment, migration job, autoscaler, budget, network policy, monitor and topics', (overlay) => {
    const objects = render(overlay);
    const named = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.name).sort();
    const apps = services.map((s) => `crm-${s}`).sort();
    for (const kind of ['Deployment', 'Service', 'ServiceAccount', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceMonitor']) expect(named(kind)).toEqual(apps);
    expect(named('Job')).toEqual(apps.map((a) => `${a}-migrate`));
    expect(named('NetworkPolicy')).toEqual([...apps, 'crm-day-close'].sort());
    expect(named('CronJob')).toEqual(['crm-day-close']);
    // configMapGenerator: the name carries the content's hash, so a change rolls the pods.
    const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('crm-config-'))!;
    for (const deployment of objects.filter((o) => o.kind === 'Deployment')) {
      expect(deployment.spec.template.spec.containers[0].envFrom).toEqual([{ configMapRef: { name: config.metadata.name } }]);
    }
    const topics = objects.filter((o) => o.kind === 'KafkaTopic');
    expect(topics.map((t) => t.spec.topicName).sort()).toEqual(services.flatMap((s) => [`crm.${s}.dead-letter`, `crm.${s}.events`]).sort());
    const production = overlay === 'production';
    for (const topic of topics) {
      expect(keysOf(topic.spec)).toEqual(['config', 'partitions', 'replicas', 'topicName']);
      expect(topic.spec.config).toEqual({ 'retention.ms': -1, 'min.insync.replicas': production ? 2 : 1 });
      expect(topic.spec.replicas).toBe(production ? 3 : 1);
      if (topic.spec.topicName.endsWith('.events')) expect(String(topic.spec.partitions)).toBe(production ? config.data!.KAFKA_TOPIC_PARTITIONS : '12');
    }
    for (const monitor of objects.filter((o) => o.kind === 'ServiceMonitor')) {
      expect(keysOf(monitor.spec)).toEqual(['endpoints', 'selector']);
      expect(monitor.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s', oauth2: {
        clientId: { secret: { name: 'crm-metrics-scraper', key: 'CLIENT_ID' } }, clientSecret: { name: 'crm-metrics-scraper', key: 'CLIENT_SECRET' },
        tokenUrl: 'https://login.example.com/realms/crm/protocol/openid-connect/token' } }]);
    }
    expect(config.data).toMatchObject(production
      ? { MIGRATIONS_AT_STARTUP: 'false', KAFKA_CREATE_TOPICS: 'false', KAFKA_REPLICATION_FACTOR: '3' }
      : { MIGRATIONS_AT_STARTUP: 'true', KAFKA_CREATE_TOPICS: 'true', KAFKA_REPLICATION_FACTOR: '1' });
  }, 60_000);
});

describe('the day-close CronJob\'s script against a real service (real PostgreSQL + Kafka)', () => {
  let db: TestDatabase;
  let engagement: RunningService;

  beforeAll(async () => {
    db = await freshDatabase();
    engagement = await startService('engagement', {
      KAFKA_BROKERS: kafkaBrokers().join(','), KAFKA_TOPIC_PREFIX: `k8s-${Date.now()}.`, KAFKA_TOPIC_PARTITIONS: '1', AUTH_DEV_SECRET: TEST_AUTH_SECRET, DATABASE_URL: db.url,
    });
  }, 120_000);
  afterAll(async () => {
    await engagement?.stop();
    await db?.drop();
  });

  it('closes the date in each listed service and fails, naming the service, when a close is refused', async () => {
    const run = async (role: string) => spawnSync(process.execPath, [path.join(root, 'infra/k8s/base/day-close.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, CLOSE_DAY_TOKEN: await tokenFor(role), CLOSE_DAY_DATE: '2026-11-30', CLOSE_DAY_SERVICES: `engagement=${engagement.url}` },
    });
    const refused = await run('sales');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/engagement: close of 2026-11-30 answered 403/);
    const closed = await run('account_manager');
    expect(closed.stdout).toMatch(/"service":"engagement","businessDate":"2026-11-30","message":"day closed"/);
    expect(closed.status).toBe(0);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM events WHERE event_type = 'EngagementBusinessDayClosed'`);
    expect(rows[0].n).toBe(1);
  });
});
