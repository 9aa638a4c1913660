import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startAdminFixture, type AdminFixture } from './support/admin-fixture.js';
import { operationsOf, PUBLIC_ROUTES, routeKey, SELF_SERVICE_ROUTES, type RouteOperation } from './support/routes.js';

// The table is built from the served OpenAPI document, so a new route cannot escape it.
describe('access rules on every route of the OpenAPI document', () => {
  let fx: AdminFixture;
  let operations: RouteOperation[];
  let auditorToken: string;

  beforeAll(async () => {
    fx = await startAdminFixture();
    const document = (await fx.call('GET', '/openapi.json', undefined, null)).body as { paths: Record<string, Record<string, unknown>> };
    operations = operationsOf(document);
    const created = await fx.call('POST', '/v1/users', { username: 'auditor1', role: 'auditor', password: 'auditor-password-1' });
    expect(created.status).toBe(201);
    const login = await fx.call('POST', '/v1/auth/login', { username: 'auditor1', password: 'auditor-password-1' }, null);
    auditorToken = (login.body as { token: string }).token;
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('documents every route the app serves, including the public ones', () => {
    const keys = new Set(operations.map(routeKey));
    expect(operations.length).toBeGreaterThan(25);
    for (const key of [...PUBLIC_ROUTES, ...SELF_SERVICE_ROUTES]) expect(keys).toContain(key);
    // Node-set changes reconfigure consensus: they must be in the table (admin-only, audited).
    for (const key of ['GET /v1/network/nodes', 'POST /v1/network/nodes', 'POST /v1/network/nodes/{nodeId}/promote', 'DELETE /v1/network/nodes/{nodeId}']) expect(keys).toContain(key);
  });

  it('lists exactly the routes the HTTP router serves', () => {
    interface Layer {
      route?: { path: string; methods: Record<string, boolean> };
    }
    const express = fx.running.app.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
    const served = new Set<string>();
    for (const layer of express.router.stack) {
      if (!layer.route) continue;
      for (const method of Object.keys(layer.route.methods)) served.add(`${method.toUpperCase()} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
    }
    expect(served.size).toBeGreaterThan(25);
    expect([...served].sort()).toEqual(operations.map(routeKey).sort());
  });

  it('unauthenticated → 401 on every non-public route; public routes never ask for a login', async () => {
    for (const operation of operations) {
      const response = await fx.call(operation.method, operation.path, operation.method === 'GET' ? undefined : {}, null);
      if (PUBLIC_ROUTES.has(routeKey(operation))) {
        expect([401, 403], routeKey(operation)).not.toContain(response.status);
      } else {
        expect(response.status, routeKey(operation)).toBe(401);
        expect(response.body, routeKey(operation)).toMatchObject({ code: 'UNAUTHENTICATED' });
      }
    }
  });

  it('a forged or malformed bearer token is 401 too', async () => {
    for (const token of ['A'.repeat(43), 'not a token', '']) {
      const response = await fx.call('GET', '/v1/organisations', undefined, token || null);
      expect(response.status).toBe(401);
    }
  });

  it('auditor → 403 on every mutating non-public route, and may read everything', async () => {
    for (const operation of operations) {
      const key = routeKey(operation);
      if (PUBLIC_ROUTES.has(key) || SELF_SERVICE_ROUTES.has(key)) continue;
      const response = await fx.call(operation.method, operation.path, operation.method === 'GET' ? undefined : {}, auditorToken);
      if (operation.method === 'GET') {
        expect([401, 403], key).not.toContain(response.status);
      } else {
        expect(response.status, key).toBe(403);
        expect(response.body, key).toMatchObject({ code: 'FORBIDDEN' });
      }
    }
  });

  it('admin → neither 401 nor 403 on any route', async () => {
    for (const operation of operations) {
      const key = routeKey(operation);
      // Logging out would end the session the rest of the table uses: give it its own.
      let token = fx.adminToken;
      if (key === 'POST /v1/auth/logout') {
        token = ((await fx.call('POST', '/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, null)).body as { token: string }).token;
      }
      const response = await fx.call(operation.method, operation.path, operation.method === 'GET' ? undefined : {}, token);
      expect([401, 403], `${key} → ${response.status} ${response.text.slice(0, 200)}`).not.toContain(response.status);
      expect(response.status, key).toBeLessThan(500);
    }
  });
});
