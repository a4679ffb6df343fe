import path from 'node:path';

export * from './counter-projection';
export * from './eventing-test-kit';
export * from './received-events-handler';
export * from './tally-policy';

/** Child-process scripts of the eventing specs, started with `runScript` so a test can SIGKILL them. */
export const eventingChildScripts = {
  consumer: path.join(__dirname, 'consumer-child.ts'),
  policy: path.join(__dirname, 'policy-child.ts'),
  rebuild: path.join(__dirname, 'rebuild-child.ts'),
  relay: path.join(__dirname, 'relay-child.ts'),
};
