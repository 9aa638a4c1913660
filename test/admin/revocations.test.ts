import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as x509 from '@peculiar/x509';
import { startAdminFixture, type AdminFixture } from './support/admin-fixture.js';

const HOUR_MS = 3600_000;

describe('revocation publication', () => {
  let fx: AdminFixture;
  let nowMs = Date.now();

  beforeAll(async () => {
    fx = await startAdminFixture({ clock: () => new Date(nowMs), config: { crlValidityMs: 4 * HOUR_MS } });
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('publishes a CRL with nextUpdate, re-signed before it expires, and stable in between', async () => {
    const first = new x509.X509Crl((await fx.call('GET', '/v1/crl', undefined, null)).text);
    expect(first.nextUpdate!.getTime() - first.thisUpdate.getTime()).toBe(4 * HOUR_MS);
    nowMs += HOUR_MS;
    const same = new x509.X509Crl((await fx.call('GET', '/v1/crl', undefined, null)).text);
    expect(same.thisUpdate.getTime()).toBe(first.thisUpdate.getTime());
    // Within the last quarter of its validity the CRL is re-signed on the next request.
    nowMs += 2 * HOUR_MS + 60_000;
    const refreshed = new x509.X509Crl((await fx.call('GET', '/v1/crl', undefined, null)).text);
    expect(refreshed.thisUpdate.getTime()).toBeGreaterThan(first.thisUpdate.getTime());
    expect(refreshed.nextUpdate!.getTime()).toBeGreaterThan(first.nextUpdate!.getTime());
  });

  it('answers 304 to an unchanged revocation list and 200 with a new ETag after a change', async () => {
    const initial = await fx.call('GET', '/v1/revocations', undefined, null);
    expect(initial.body).toMatchObject({ version: 0, serials: [] });
    const etag = initial.headers.get('etag')!;
    expect((await fetch(`${fx.url}/v1/revocations`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${fx.url}/v1/revocations`, { headers: { 'if-none-match': '"rev-999"' } })).status).toBe(200);
  });
});
