export const PG_POOL = Symbol('PG_POOL');
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const LOGGER = Symbol('LOGGER');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const TRANSPORT = Symbol('TRANSPORT');
/** The service's UpcasterRegistry: contract upcasters plus its own, shared by every reader of events. */
export const UPCASTERS = Symbol('UPCASTERS');
