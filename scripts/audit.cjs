// The auditors' and operators' command line: npm run audit -- <subcommand> [options]
// Each subcommand is its own module under scripts/audit/ exporting run(args, env) → exit code.
require('./ts-register.cjs');
const path = require('node:path');

const SUBCOMMANDS = {
  'rotate-master-key': 'rotate-master-key.ts',
  verify: 'verify.ts',
  rebuild: 'rebuild.ts',
  'what-if': 'what-if.ts',
};

async function main() {
  const [name, ...args] = process.argv.slice(2);
  const file = SUBCOMMANDS[name];
  if (!file) {
    process.stderr.write(`usage: npm run audit -- <${Object.keys(SUBCOMMANDS).join('|')}> [options]\n`);
    return 2;
  }
  return require(path.join(__dirname, 'audit', file)).run(args, process.env);
}

main().then((code) => { process.exitCode = code; }, (error) => {
  process.stderr.write(`${error?.message ?? error}\n`);
  process.exitCode = 1;
});
