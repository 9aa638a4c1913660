import { applyDecorators, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import type { AuthenticatedRequest } from '../auth/auth.guard.js';
import type { Principal } from '../auth/principal.js';
import { ErrorDto } from './dto/common.dto.js';

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON, wrong types, unknown fields (VALIDATION_FAILED, MALFORMED_JSON)',
  401: 'Missing or expired bearer token (UNAUTHENTICATED)',
  403: 'Role may not do this (FORBIDDEN, PASSWORD_CHANGE_REQUIRED)',
  404: 'Not found',
  409: 'Conflicts with the current state',
  410: 'Gone (expired)',
  413: 'Body larger than the limit (PAYLOAD_TOO_LARGE)',
  422: 'Domain rule violated',
  429: 'Throttled; see Retry-After',
};

/** Documents error responses (all with the `{code, message}` body). */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: ERROR_DESCRIPTIONS[status] ?? 'Error', type: ErrorDto })));
}

/** A route that needs a login: bearer auth plus the 401/403 responses. */
export function LoggedIn(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiBearerAuth(), ApiErrors(401, 403));
}

/** The principal the auth guard attached. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  return request.principal!;
});

/** The caller's IP address (for throttling and the audit log). */
export const ClientIp = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
});
