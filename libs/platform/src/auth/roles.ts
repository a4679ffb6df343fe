export const ROLES = ['sales', 'credit_manager', 'collector', 'account_manager', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
