import { SetMetadata } from '@nestjs/common';
import { Role } from './roles';

export const ROLES_KEY = 'crm:roles';
export const PUBLIC_KEY = 'crm:public';

/** Only these roles may call the route (admin always may). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
/** No token needed: health, metrics, API documents. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
