import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startAdminFixture, type AdminFixture } from './support/admin-fixture.js';
import { operationsOf, routeKey, type RouteOperation } from './support/routes.js';

interface SchemaObject {
  type?: string;
  properties?: Record<string, SchemaObject>;
  $ref?: string;
}
interface OpenApi {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: SchemaObject }> } }>>;
  components: { schemas: Record<string, SchemaObject> };
}

function bodySchema(document: OpenApi, operation: RouteOperation): SchemaObject | undefined {
  const requestBody = document.paths[operation.template]![operation.method.toLowerCase()]!.requestBody;
  const ref = requestBody?.content['application/json']?.schema.$ref;
  return ref ? document.components.schemas[ref.split('/').pop()!] : undefined;
}

function wrongValue(schema: SchemaObject): unknown {
  if (schema.type === 'string') return 12345;
  if (schema.type === 'integer' || schema.type === 'number') return '12';
  if (schema.type === 'boolean') return 'yes';
  return 1;
}

async function rawPost(url: string, method: string, body: string, token: string): Promise<{ status: number; body: { code?: string } }> {
  const response = await fetch(url, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
  const text = await response.text();
  let parsed: { code?: string } = {};
  try {
    parsed = JSON.parse(text) as { code?: string };
  } catch {
    // checked by the caller through the status
  }
  return { status: response.status, body: parsed };
}

// Every case runs with an admin token, so the request reaches validation and the handlers.
describe('bad input on every route → 4xx with a code, never 500', () => {
  let fx: AdminFixture;
  let document: OpenApi;
  let mutating: RouteOperation[];
  let all: RouteOperation[];

  beforeAll(async () => {
    fx = await startAdminFixture();
    document = (await fx.call('GET', '/openapi.json', undefined, null)).body as OpenApi;
    all = operationsOf(document);
    mutating = all.filter((operation) => operation.method !== 'GET');
  });
  afterAll(async () => {
    await fx?.close();
  });

  /** Logout would end the session the other cases use: it gets a fresh one each time. */
  async function tokenFor(operation: RouteOperation): Promise<string> {
    if (routeKey(operation) !== 'POST /v1/auth/logout') return fx.adminToken;
    const login = await fx.call('POST', '/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, null);
    return (login.body as { token: string }).token;
  }

  function expectClientError(key: string, response: { status: number; body: { code?: string } }): void {
    expect(response.status, key).toBeGreaterThanOrEqual(400);
    expect(response.status, key).toBeLessThan(500);
    expect(response.body.code, key).toMatch(/^[A-Z][A-Z0-9_]+$/);
  }

  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    for (const operation of mutating) {
      const response = await rawPost(fx.url + operation.path, operation.method, '{"name": "unterminated', await tokenFor(operation));
      expect(response.status, routeKey(operation)).toBe(400);
      expect(response.body.code, routeKey(operation)).toBe('MALFORMED_JSON');
    }
  });

  it('a 1 MiB body → 413 PAYLOAD_TOO_LARGE', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(1024 * 1024) });
    for (const operation of mutating) {
      const response = await rawPost(fx.url + operation.path, operation.method, huge, await tokenFor(operation));
      expect(response.status, routeKey(operation)).toBe(413);
      expect(response.body.code, routeKey(operation)).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('unknown fields → 400 VALIDATION_FAILED where a body is defined, otherwise never a 500', async () => {
    for (const operation of mutating) {
      const response = await rawPost(fx.url + operation.path, operation.method, JSON.stringify({ unexpectedField: 1 }), await tokenFor(operation));
      if (bodySchema(document, operation)) {
        expect(response.status, routeKey(operation)).toBe(400);
        expect(response.body.code, routeKey(operation)).toBe('VALIDATION_FAILED');
      } else {
        // No body is defined (e.g. logout, suspend): extra fields are ignored, never a crash.
        expect(response.status, routeKey(operation)).toBeLessThan(500);
        if (response.status >= 400) expectClientError(routeKey(operation), response);
      }
    }
  });

  it('wrong types for every documented field → 400 VALIDATION_FAILED', async () => {
    let checked = 0;
    for (const operation of mutating) {
      const schema = bodySchema(document, operation);
      if (!schema?.properties) continue;
      const body = Object.fromEntries(Object.entries(schema.properties).map(([name, property]) => [name, wrongValue(property)]));
      const response = await rawPost(fx.url + operation.path, operation.method, JSON.stringify(body), fx.adminToken);
      expect(response.status, routeKey(operation)).toBe(400);
      expect(response.body.code, routeKey(operation)).toBe('VALIDATION_FAILED');
      // A JSON array or scalar instead of an object.
      for (const notAnObject of ['[]', '"text"', '42', 'null']) {
        expectClientError(`${routeKey(operation)} ${notAnObject}`, await rawPost(fx.url + operation.path, operation.method, notAnObject, fx.adminToken));
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('malformed path parameters and unknown query parameters → 4xx with a code', async () => {
    for (const operation of all) {
      if (!operation.template.includes('{')) continue;
      const badPath = operation.template.replace(/\{\w+\}/g, 'not-an-id!');
      const response = await fx.call(operation.method, badPath, operation.method === 'GET' ? undefined : {}, await tokenFor(operation));
      expectClientError(`${routeKey(operation)} bad path`, { status: response.status, body: response.body as { code?: string } });
    }
    for (const path of ['/v1/members?role=emperor', '/v1/members?bogus=1', '/v1/audit?limit=-1', '/v1/audit?limit=abc', '/v1/audit?offset=18446744073709551616', '/v1/certificates?status=weird', '/v1/enrollments?status=1']) {
      const response = await fx.call('GET', path);
      expect(response.status, path).toBe(400);
      expect(response.body, path).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });
});
