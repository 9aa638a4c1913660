import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { HttpAccordError } from '#common';
import { PUBLIC_ROUTE, SELF_SERVICE_ROUTE } from './access.decorators.js';
import { AuthService } from './auth.service.js';
import type { Principal } from './principal.js';

/** A request that passed the guard. */
export interface AuthenticatedRequest extends Request {
  principal?: Principal;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one access rule of the API, applied to every route: public routes are open; otherwise a
 * valid bearer token is needed (401); reads are open to admins and auditors, every mutating call
 * needs an admin (403); a user with a one-time password may only use self-service routes.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header);
    const principal = match ? await this.auth.authenticate(match[1]!) : undefined;
    if (!principal) throw new HttpAccordError(401, 'UNAUTHENTICATED', 'log in and send the token as "Authorization: Bearer <token>"');
    request.principal = principal;
    if (this.reflector.getAllAndOverride<boolean>(SELF_SERVICE_ROUTE, targets)) return true;
    if (principal.mustChangePassword) throw new HttpAccordError(403, 'PASSWORD_CHANGE_REQUIRED', 'change the one-time password first');
    if (READ_METHODS.has(request.method) || principal.role === 'admin') return true;
    throw new HttpAccordError(403, 'FORBIDDEN', `role ${principal.role} may not ${request.method} ${request.path}`);
  }
}
