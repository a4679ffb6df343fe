// services.json is the one list of services (scripts, the build, jest and openapi read it).
// Files whose tool cannot read it — YAML, SQL, a TypeScript union type — repeat the names;
// this spec fails when one of them drifts from the list.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const services = JSON.parse(read('services.json')).services as Record<string, { port: number }>;
const names = Object.keys(services);
const sorted = (list: Iterable<string>) => [...list].sort();

describe('services.json and the files that repeat it', () => {
  it('lists every app that is a service, each with a build target and an entry point', () => {
    const apps = readdirSync(path.join(root, 'apps')).filter((dir) => {
      const file = path.join(root, 'apps', dir, 'project.json');
      return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).tags.includes('type:app');
    });
    expect(sorted(apps)).toEqual(sorted(names));
    for (const name of names) {
      expect(JSON.parse(read(`apps/${name}/project.json`)).targets).toHaveProperty('build');
      expect(existsSync(path.join(root, `apps/${name}/src/main.ts`))).toBe(true);
    }
  });

  it('gives each service its own port, the default of its entry point', () => {
    const ports = names.map((name) => services[name].port);
    expect(new Set(ports).size).toBe(names.length);
    for (const name of names) {
      expect(read(`apps/${name}/src/main.ts`)).toMatch(new RegExp(`runService\\('${name}', ${services[name].port},`));
    }
  });

  it('matches the ServiceName type of the contracts', () => {
    const union = /export type ServiceName = ([^;]+);/.exec(read('libs/contracts/src/topics.ts'))![1];
    expect(sorted(union.split('|').map((part) => part.trim().replace(/'/g, '')))).toEqual(sorted(names));
  });

  it('matches the databases that docker compose creates', () => {
    const created = [...read('infra/docker/create-databases.sql').matchAll(/CREATE DATABASE (\w+);/g)].map((m) => m[1]);
    expect(sorted(created)).toEqual(sorted(names.map((name) => `crm_${name}`)));
  });

  it('matches the services of docker-compose.yml, each on its port with its own database', () => {
    const compose = read('docker-compose.yml');
    const declared = [...compose.matchAll(/environment: \{ <<: \*env, SERVICE: (\w+), DATABASE_URL: "[^"]*\/crm_(\w+)" \}\n\s+ports: \["(\d+):3000"\]/g)];
    expect(sorted(declared.map((m) => m[1]))).toEqual(sorted(names));
    for (const [, name, database, port] of declared) {
      expect(database).toBe(name);
      expect(Number(port)).toBe(services[name].port);
    }
  });

  it('matches the Kubernetes manifests and the secrets template', () => {
    const resources = [...read('infra/k8s/base/kustomization.yaml').matchAll(/^ {2}- services\/(\w+)\.yaml$/gm)].map((m) => m[1]);
    expect(sorted(resources)).toEqual(sorted(names));
    for (const name of names) {
      expect(read(`infra/k8s/base/services/${name}.yaml`)).toContain(`- { name: SERVICE, value: ${name} }`);
    }
    const secrets = read('infra/k8s/base/secrets.example.yaml').split('---').filter((s) => !/name: crm-(day-close|metrics-scraper)\n/.test(s));
    for (const secret of secrets) {
      const keys = [...secret.matchAll(/^ {2}(\w+): "/gm)].map((m) => m[1]);
      expect(sorted(keys)).toEqual(sorted(names));
    }
  });
});
