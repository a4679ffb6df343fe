// Mints a development bearer token: node scripts/token.cjs <role> [subject]
// (HS256 with AUTH_DEV_SECRET; never valid where AUTH_MODE=jwks).
require('./ts-register.cjs');
const { mintDevToken } = require('../libs/platform/src/auth/token-verifier.ts');
const [role = 'admin', subject = `dev-${role}`] = process.argv.slice(2);
const secret = process.env.AUTH_DEV_SECRET ?? 'dev-secret-change-me-please';
mintDevToken(secret, subject, [role]).then((t) => process.stdout.write(`${t}\n`));
