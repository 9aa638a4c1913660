import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminFixture, type AdminFixture } from './support/admin-fixture.js';

let fx: AdminFixture;
beforeAll(async () => {
  fx = await startAdminFixture();
});
afterAll(() => fx.close());

describe('admin operations endpoints', () => {
  it('answers liveness and readiness, and exposes Prometheus metrics with units in their names', async () => {
    expect((await fx.call('GET', '/healthz', undefined, null)).status).toBe(200);
    expect((await fx.call('GET', '/readyz', undefined, null)).body).toMatchObject({ status: 'ready' });
    await fx.call('GET', '/v1/ca', undefined, null);
    const metrics = (await fx.call('GET', '/metrics', undefined, null)).text;
    expect(metrics).toContain('accord_http_requests_total{method="GET",route="/v1/ca",status="200"}');
    expect(metrics).toContain('accord_http_request_duration_seconds_bucket');
    expect(metrics).toContain('accord_admin_process_resident_memory_bytes');
  });

  it('tags responses with a request id and lets an admin change the log level at runtime, audited', async () => {
    const response = await fetch(new URL('/v1/ca', fx.url), { headers: { 'x-request-id': 'audit-trace-7' } });
    expect(response.headers.get('x-request-id')).toBe('audit-trace-7');
    const changed = await fx.call('PUT', '/v1/ops/log-level', { level: 'warn' });
    expect(changed).toMatchObject({ status: 200, body: { level: 'warn' } });
    const audit = (await fx.call('GET', '/v1/audit')).body as { items?: Array<{ action: string }>; entries?: Array<{ action: string }> };
    const rows = audit.items ?? audit.entries ?? [];
    expect(rows.some((row) => row.action === 'ops.log-level')).toBe(true);
    expect((await fx.call('PUT', '/v1/ops/log-level', { level: 'shout' })).body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
