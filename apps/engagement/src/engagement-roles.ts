import { Role } from '@crm/platform';

/** Who may read engagement's answers: every role but admin's own (admin passes everywhere), as customers' readers. */
export const ENGAGEMENT_READERS: Role[] = ['sales', 'account_manager', 'auditor', 'collector', 'credit_manager'];
