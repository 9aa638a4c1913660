import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

/** Nest injection token of the {@link AdminServices} bundle. */
export const ADMIN_SERVICES = Symbol('ADMIN_SERVICES');

/** Nest injection token of the app's logger and metrics registry. */
export const ADMIN_OPS = Symbol('ADMIN_OPS');

/** The admin app's structured logger and Prometheus registry. */
export interface AdminOps {
  logger: Logger;
  registry: Registry;
}
