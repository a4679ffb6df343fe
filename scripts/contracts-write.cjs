// Writes the JSON schema of every published event version to libs/contracts/schemas/.
// Run it when adding a version or an optional field; the contract test refuses breaking edits.
require('./ts-register.cjs');
const fs = require('node:fs');
const path = require('node:path');
const { publishedContracts, schemaFileName } = require('../libs/contracts/src/index.ts');

const dir = path.join(__dirname, '../libs/contracts/schemas');
fs.mkdirSync(dir, { recursive: true });
for (const contract of publishedContracts) {
  fs.writeFileSync(path.join(dir, schemaFileName(contract)), `${JSON.stringify(contract.schema, null, 2)}\n`);
}
console.log(`wrote ${publishedContracts.length} schemas to ${path.relative(process.cwd(), dir)}`);
