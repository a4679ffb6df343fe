import { SignJWT } from 'jose';

export const TEST_AUTH_SECRET = 'test-secret-at-least-16-chars';

export function tokenFor(role: string, subject = `test-${role}`): Promise<string> {
  return new SignJWT({ roles: [role] }).setProtectedHeader({ alg: 'HS256' }).setSubject(subject)
    .setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(TEST_AUTH_SECRET));
}
