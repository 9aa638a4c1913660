/** Nest injection token of the {@link AdminServices} bundle. */
export const ADMIN_SERVICES = Symbol('ADMIN_SERVICES');
