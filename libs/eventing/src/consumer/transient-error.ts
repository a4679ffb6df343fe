/**
 * Errors that say nothing about the event: the database is failing over, deadlocked, out of
 * resources or being restarted (SQLSTATE classes 08, 40, 53, 57), or the socket broke. Such an
 * event is retried by redelivery, never parked.
 */
export function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string') return false;
  return ['08', '40', '53', '57'].includes(code.slice(0, 2)) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT'].includes(code);
}
