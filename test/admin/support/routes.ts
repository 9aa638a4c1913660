import { randomUUID } from 'node:crypto';

/** One operation of the OpenAPI document. */
export interface RouteOperation {
  method: string;
  /** OpenAPI path, e.g. `/v1/members/{id}`. */
  template: string;
  /** A concrete path with placeholder values for the parameters. */
  path: string;
}

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of an OpenAPI document, with path parameters filled in. */
export function operationsOf(document: { paths: Record<string, Record<string, unknown>> }): RouteOperation[] {
  const operations: RouteOperation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of Object.keys(item).filter((key) => HTTP_METHODS.includes(key))) {
      const path = template.replace(/\{(\w+)\}/g, (_match, name: string) => (name === 'serial' ? 'abcdef0123' : randomUUID()));
      operations.push({ method: method.toUpperCase(), template, path });
    }
  }
  return operations;
}

/** Routes that need no login, by design. */
export const PUBLIC_ROUTES = new Set([
  'POST /v1/auth/login',
  'POST /v1/enroll',
  'GET /v1/enroll/{id}',
  'GET /v1/crl',
  'GET /v1/revocations',
  'GET /v1/ca',
  'GET /v1/consortium/genesis',
  'GET /v1/health',
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
]);

/** Routes about the caller's own account: open to every logged-in role. */
export const SELF_SERVICE_ROUTES = new Set(['POST /v1/auth/logout', 'POST /v1/auth/password', 'GET /v1/auth/me']);

/** `METHOD /template` key of an operation. */
export function routeKey(operation: RouteOperation): string {
  return `${operation.method} ${operation.template}`;
}
