import { SetMetadata } from '@nestjs/common';

/** Metadata key: the route needs no login. */
export const PUBLIC_ROUTE = 'accord:admin:public';
/** Metadata key: any logged-in user, even one who must still change the password. */
export const SELF_SERVICE_ROUTE = 'accord:admin:self-service';

/** Marks a route that needs no login (enrollment, CRL, CA, genesis, health, login). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** Marks a route about the caller's own account (me, password change, logout). */
export const SelfService = (): MethodDecorator & ClassDecorator => SetMetadata(SELF_SERVICE_ROUTE, true);
