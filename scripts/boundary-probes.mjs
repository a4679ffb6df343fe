// Proves the module-boundary rule still fires: lints small probe sources "placed" in real
// projects (stdin, nothing written) and expects the verdicts ARCHITECTURE.md demands.
import { spawnSync } from 'node:child_process';

const probes = [
  { file: 'apps/engagement/src/boundary-probe.ts', name: 'customerDecider', from: '@crm/customers-domain', allowed: false, why: 'a service importing another service' },
  { file: 'libs/customers/domain/src/boundary-probe.ts', name: 'PostgresEventStore', from: '@crm/eventing', allowed: false, why: 'a domain lib importing infrastructure' },
  { file: 'apps/receivables/src/boundary-probe.ts', name: 'pollUntil', from: '@crm/testing', allowed: false, why: 'production code importing test helpers' },
  { file: 'apps/customers/src/boundary-probe.ts', name: 'customerDecider', from: '@crm/customers-domain', allowed: true, why: 'an app importing its own domain' },
  // Test code lives in libs/testing only: a testing folder in a production lib gets no pass,
  // the tag rule refuses type:testing outside specs, and a path into libs/testing is refused too.
  { file: 'libs/eventing/src/testing/boundary-probe.ts', name: 'freshEventingDatabase', from: '@crm/testing', allowed: false, why: 'a testing folder inside a production lib importing test helpers' },
  { file: 'libs/platform/src/boundary-probe.ts', name: 'pollUntil', from: '@crm/testing', allowed: false, by: /enforce-module-boundaries/, why: 'an infra lib depending on the type:testing lib (tag rule)' },
  { file: 'apps/engagement/src/boundary-probe.ts', name: 'pollUntil', from: '../../../libs/testing/src/infra/test-infra', allowed: false, by: /no-restricted-imports/, why: 'production code importing a libs/testing path' },
  { file: 'libs/eventing/src/consumer/boundary-probe.int.spec.ts', name: 'freshEventingDatabase', from: '@crm/testing', allowed: true, why: 'an eventing spec using the eventing test kit' },
];

let failed = 0;
for (const probe of probes) {
  const result = spawnSync('node_modules/.bin/eslint', ['--stdin', '--stdin-filename', probe.file], {
    input: `import { ${probe.name} } from '${probe.from}';\nexport const probe = ${probe.name};\n`, encoding: 'utf8',
  });
  // Only the boundary rules count as a refusal; anything else wrong with the probe is a failure.
  const refusedByRule = (probe.by ?? /enforce-module-boundaries|no-restricted-imports/).test(result.stdout);
  if (result.status !== 0 && !refusedByRule) console.log(result.stdout);
  const allowed = result.status === 0;
  const ok = probe.allowed ? allowed : refusedByRule;
  if (!ok) failed++;
  console.log(`${ok ? '✓' : '✖'} ${probe.why}: ${allowed ? 'allowed' : 'refused'} (${probe.file})`);
}
console.log(`boundary probes: ${probes.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
