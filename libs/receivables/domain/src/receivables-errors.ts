import { domainError } from '@crm/contracts';

/** Receivables refuses with the shared domain error: a stable code, a kind, the field at fault. */
export const refuse = domainError;
