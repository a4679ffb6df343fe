import { SetMetadata } from '@nestjs/common';
import { Role } from './roles';

export const ROLES_KEY = 'crm:roles';
export const PUBLIC_KEY = 'crm:public';
export const OPS_ENDPOINT_KEY = 'crm:ops-endpoint';

export type OpsEndpointName = 'metrics' | 'docs';

/**
 * Only these roles may call the route (admin always may; `auditor` never writes). A route
 * that is neither `@Roles` nor `@Public` answers admin only: a forgotten decorator fails closed.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** No token needed: the health probes. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** Metrics and API documents: any valid token, or none when PUBLIC_OPS_ENDPOINTS lists it. */
export const OpsEndpoint = (name: OpsEndpointName) => SetMetadata(OPS_ENDPOINT_KEY, name);
