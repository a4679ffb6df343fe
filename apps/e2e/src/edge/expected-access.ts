import { Role } from '@crm/platform';
import { OPS_ROUTES, Service } from './openapi-routes';

/**
 * Who may call what: the expected outcome of every route for every role, written from the
 * README's endpoint tables, not read from the code, so the matrix spec proves the code agrees.
 * `admin` may do everything (a platform rule) and is implied; `auditor` reads everything and
 * writes nothing. A route of a service's OpenAPI document without a row here fails the spec:
 * adding a route forces a decision.
 *   'public'    no token needed, any token ignored (the health probes)
 *   'any-token' any valid token, whatever its roles (metrics, API documents; PUBLIC_OPS_ENDPOINTS unset)
 *   Role[]      only these roles (and admin)
 */
export type Access = 'public' | 'any-token' | Role[];

const READERS: Role[] = ['sales', 'account_manager', 'credit_manager', 'collector', 'auditor'];
const ADMIN_ONLY: Role[] = [];

const PLATFORM: Record<string, Access> = {
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /health/relay': 'public',
  ...Object.fromEntries(OPS_ROUTES.map((r) => [r, 'any-token' as const])),
};

/** Tamper evidence: the auditor verifies one customer's or one stream's hash chains. */
const AUDIT: Record<string, Access> = { 'GET /v1/audit/verify': ['auditor'] };

const PROJECTIONS_ADMIN: Record<string, Access> = {
  'POST /v1/admin/projections/{name}/rebuild': ADMIN_ONLY,
  'GET /v1/admin/projections/{name}/rebuild': ['auditor'],
  'POST /v1/admin/projections/{name}/parked/replay': ADMIN_ONLY,
  'POST /v1/admin/projections/{name}/parked/{eventId}/skip': ADMIN_ONLY,
};

/** The platform's day close: the service's closing role writes, the auditor reads the run. */
const dayClose = (closer: Role): Record<string, Access> => ({
  'POST /v1/operations/close-day': [closer],
  'GET /v1/operations/close-day/{businessDate}': [closer, 'auditor'],
});

export const EXPECTED_ACCESS: Record<Service, Record<string, Access>> = {
  customers: {
    ...PLATFORM, ...AUDIT, ...PROJECTIONS_ADMIN, ...dayClose('account_manager'),
    'GET /v1/customers/policy': ['sales', 'account_manager', 'credit_manager', 'auditor'],
    'PUT /v1/customers/policy': ['account_manager'],
    'GET /v1/customers/{id}/overview': READERS,
    'GET /v1/segments/abc': ['sales', 'account_manager', 'credit_manager', 'auditor'],
    'GET /v1/customers': READERS,
    'POST /v1/customers': ['sales', 'account_manager'],
    'GET /v1/customers/{id}': READERS,
    'GET /v1/customers/{id}/history': ['auditor'],
    'GET /v1/audit/correlations/{correlationId}': ['auditor'],
    'PATCH /v1/customers/{id}': ['sales', 'account_manager'],
    'PUT /v1/customers/{id}/consent': ['sales', 'account_manager'],
    'PUT /v1/customers/{id}/account-manager': ['sales', 'account_manager'],
    'POST /v1/customers/{id}/archive': ['sales', 'account_manager'],
    'POST /v1/customers/{id}/reactivate': ['sales', 'account_manager'],
    'POST /v1/customers/{id}/contacts': ['sales', 'account_manager'],
    'PATCH /v1/customers/{id}/contacts/{contactId}': ['sales', 'account_manager'],
    'DELETE /v1/customers/{id}/contacts/{contactId}': ['sales', 'account_manager'],
    'POST /v1/customers/{id}/personal-data/erasure': ADMIN_ONLY,
  },
  credit: {
    ...PLATFORM, ...AUDIT, ...PROJECTIONS_ADMIN, ...dayClose('credit_manager'),
    'POST /v1/credit/customers/{customerId}/financials': ['credit_manager'],
    'POST /v1/credit/customers/{customerId}/assessments': ['credit_manager'],
    'POST /v1/credit/customers/{customerId}/holds': ['credit_manager'],
    'POST /v1/credit/customers/{customerId}/holds/release': ['credit_manager'],
    'GET /v1/credit/customers/{customerId}': READERS,
    'GET /v1/credit/customers/{customerId}/decisions': ['credit_manager', 'auditor'],
    'GET /v1/credit/customers/{customerId}/hold': READERS,
    'POST /v1/credit/limit-requests': ['sales', 'credit_manager'],
    'GET /v1/credit/limit-requests': ['credit_manager', 'sales', 'auditor'],
    'GET /v1/credit/limit-requests/{id}': ['credit_manager', 'sales', 'auditor'],
    'POST /v1/credit/limit-requests/{id}/approve': ['credit_manager'],
    'POST /v1/credit/limit-requests/{id}/reject': ['credit_manager'],
    'GET /v1/credit/watchlist': READERS,
    'GET /v1/credit/policy': ['credit_manager', 'sales', 'auditor'],
    'PUT /v1/credit/policy': ADMIN_ONLY,
  },
  receivables: {
    ...PLATFORM, ...AUDIT, ...PROJECTIONS_ADMIN, ...dayClose('credit_manager'),
    'POST /v1/invoices': ['sales', 'credit_manager'],
    'GET /v1/invoices/{id}': READERS,
    'POST /v1/invoices/{id}/credit-notes': ['credit_manager'],
    'POST /v1/invoices/{id}/disputes': ['collector', 'account_manager', 'credit_manager'],
    'POST /v1/invoices/{id}/disputes/resolve': ['collector', 'account_manager', 'credit_manager'],
    'POST /v1/invoices/{id}/promises-to-pay': ['collector'],
    'POST /v1/invoices/{id}/write-off-requests': ['collector', 'credit_manager'],
    'POST /v1/payments': ['collector', 'credit_manager'],
    'POST /v1/payments/{id}/reverse': ['collector', 'credit_manager'],
    'POST /v1/write-off-requests/{id}/approve': ['credit_manager'],
    'POST /v1/write-off-requests/{id}/reject': ['credit_manager'],
    'GET /v1/overdue': READERS,
    'GET /v1/aging': READERS,
    'GET /v1/collections/worklist': ['collector', 'credit_manager', 'auditor'],
    // The worklist's segment rules (README: collectors read them, credit managers change them).
    'GET /v1/collections/segment-policy': ['collector', 'credit_manager', 'auditor'],
    'PUT /v1/collections/segment-policy': ['credit_manager'],
    'GET /v1/allowance': ['credit_manager', 'auditor'],
    'GET /v1/customers/{customerId}/statement': READERS,
    'GET /v1/metrics': ['credit_manager', 'auditor'],
    'POST /v1/operations/close-period': ['credit_manager'],
    'GET /v1/payments/unmatched': ['collector', 'credit_manager', 'auditor'],
    'POST /v1/payments/{id}/allocations': ['collector', 'credit_manager'],
    'GET /v1/customers/{customerId}/credit-balance': READERS,
    'POST /v1/customers/{customerId}/refunds': ['credit_manager'],
    'GET /v1/customers/{customerId}/receivables-policy': READERS,
    'PUT /v1/customers/{customerId}/receivables-policy': ['credit_manager'],
    'GET /v1/operations/close-period/{period}': ['credit_manager', 'collector', 'sales', 'auditor'],
  },
  engagement: {
    ...PLATFORM, ...AUDIT, ...PROJECTIONS_ADMIN, ...dayClose('account_manager'),
    'GET /v1/customers/{id}': READERS,
    'GET /v1/customers': READERS,
    'GET /v1/loyalty/customers/{customerId}': READERS,
    'POST /v1/loyalty/customers/{customerId}/redemptions': ['account_manager'],
    'GET /v1/loyalty/tiers/{tier}': READERS,
    'GET /v1/loyalty/policy': READERS,
    'PUT /v1/loyalty/policy': ADMIN_ONLY,
    'GET /v1/complaints/policy': ['sales', 'account_manager', 'auditor'],
    'PUT /v1/complaints/policy': ADMIN_ONLY,
    'POST /v1/complaints': ['sales', 'account_manager'],
    'GET /v1/complaints': READERS,
    'GET /v1/complaints/{id}': READERS,
    'POST /v1/complaints/{id}/acknowledge': ['sales', 'account_manager'],
    'POST /v1/complaints/{id}/resolve': ['sales', 'account_manager'],
    'POST /v1/surveys/responses': ['sales', 'account_manager'],
    'GET /v1/satisfaction': READERS,
    'POST /v1/interactions': ['sales', 'account_manager'],
    'GET /v1/customers/{customerId}/interactions': READERS,
    'GET /v1/follow-ups': READERS,
    'POST /v1/follow-ups/{id}/complete': ['sales', 'account_manager'],
    'GET /v1/contact-plan/policy': READERS,
    'PUT /v1/contact-plan/policy': ADMIN_ONLY,
    'GET /v1/care/holidays': READERS,
    'PUT /v1/care/holidays': ADMIN_ONLY,
    'GET /v1/care-calendar': READERS,
    'GET /v1/churn-risk': READERS,
    'GET /v1/churn-risk/{customerId}': READERS,
    'GET /v1/churn/policy': ['account_manager', 'sales', 'auditor'],
    'PUT /v1/churn/policy': ADMIN_ONLY,
  },
};

/** The rule of a row: may a valid token carrying `roles` call it? */
export function mayCall(access: Access, roles: readonly string[]): boolean {
  if (access === 'public' || access === 'any-token') return true;
  return roles.includes('admin') || roles.some((r) => (access as string[]).includes(r));
}
