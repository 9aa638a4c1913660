import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, enrollBody, memberKeys, startAdminFixture, type AdminFixture } from './support/admin-fixture.js';
import { opensslCrlText, opensslVerify } from './support/openssl.js';

interface CreatedInvitation {
  invitation: { id: string };
  token: string;
}
interface EnrollResult {
  id: string;
  status: string;
  memberId: string | null;
  certificatePem: string | null;
  chainPems: string[];
}
interface Revocations {
  version: number;
  updatedAt: string;
  serials: string[];
}

describe('enrollment over HTTP (SQLite register)', () => {
  let fx: AdminFixture;
  let organisationId: string;
  let nowMs = Date.now();

  beforeAll(async () => {
    fx = await startAdminFixture({ clock: () => new Date(nowMs) });
    const org = await fx.call('POST', '/v1/organisations', { name: 'Acme Bank' });
    organisationId = (org.body as { id: string }).id;
  });
  afterAll(async () => {
    await fx?.close();
  });

  async function invite(role = 'validator', extra: Record<string, unknown> = {}): Promise<CreatedInvitation> {
    const response = await fx.call('POST', '/v1/invitations', { organisationId, role, ...extra });
    expect(response.status).toBe(201);
    return response.body as CreatedInvitation;
  }

  async function certificateCount(): Promise<number> {
    return ((await fx.call('GET', '/v1/certificates')).body as unknown[]).length;
  }

  it('invite → CSR + proof → approve → certificate verifies with openssl; revoke → CRL check fails', async () => {
    const { token } = await invite('validator');
    const keys = await memberKeys('validator-1');
    const submitted = await fx.call('POST', '/v1/enroll', enrollBody(token, keys, { nodeId: 'validator-1', p2pAddress: '127.0.0.1:7101', restUrl: 'http://127.0.0.1:8101' }), null);
    expect(submitted.status).toBe(201);
    const pending = submitted.body as EnrollResult;
    expect(pending.status).toBe('pending');
    expect(pending.certificatePem).toBeNull();

    const queue = await fx.call('GET', '/v1/enrollments?status=pending');
    expect((queue.body as { id: string }[]).map((e) => e.id)).toContain(pending.id);

    const approved = await fx.call('POST', `/v1/enrollments/${pending.id}/approve`);
    expect(approved.status).toBe(200);
    const serial = (approved.body as { certificateSerial: string }).certificateSerial;
    expect(serial).toMatch(/^[0-9a-f]+$/);

    const fetched = await fetch(`${fx.url}/v1/enroll/${pending.id}`, { headers: { 'x-enrollment-token': token } });
    const result = (await fetched.json()) as EnrollResult;
    expect(result.status).toBe('approved');
    const [issuingPem, rootPem] = result.chainPems as [string, string];
    const leafPem = result.certificatePem!;
    expect(opensslVerify(leafPem, rootPem, issuingPem)).toMatchObject({ ok: true });

    const member = await fx.call('GET', `/v1/members/${result.memberId}`);
    expect(member.body).toMatchObject({ status: 'active', role: 'validator', nodeId: 'validator-1' });

    const crlBefore = (await fx.call('GET', '/v1/crl', undefined, null)).text;
    expect(opensslVerify(leafPem, rootPem, issuingPem, crlBefore).ok).toBe(true);
    const before = (await fx.call('GET', '/v1/revocations', undefined, null)).body as Revocations;
    expect(before.serials).not.toContain(serial);

    const revoked = await fx.call('POST', `/v1/certificates/${serial}/revoke`, { reason: 'keyCompromise' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise' });

    const crlResponse = await fx.call('GET', '/v1/crl', undefined, null);
    expect(crlResponse.headers.get('content-type')).toContain('application/pkix-crl');
    expect(crlResponse.text).toContain('-----BEGIN X509 CRL-----');
    const afterRevocation = opensslVerify(leafPem, rootPem, issuingPem, crlResponse.text);
    expect(afterRevocation.ok).toBe(false);
    expect(afterRevocation.output).toMatch(/revoked/i);
    const crlText = opensslCrlText(crlResponse.text);
    expect(crlText).toMatch(/Next Update/);
    expect(crlText.replace(/\s/g, '').toLowerCase()).toContain(serial.slice(-16));
    expect(crlText).toMatch(/Key Compromise/);

    const after = await fx.call('GET', '/v1/revocations', undefined, null);
    const list = after.body as Revocations;
    expect(list.serials).toContain(serial);
    expect(list.version).toBeGreaterThan(before.version);
    const etag = after.headers.get('etag');
    expect(etag).toBeTruthy();
    const unchanged = await fetch(`${fx.url}/v1/revocations`, { headers: { 'if-none-match': etag! } });
    expect(unchanged.status).toBe(304);
  });

  it('refuses a tampered CSR, reused / expired / unknown tokens and a bad proof, issuing nothing', async () => {
    const countBefore = await certificateCount();
    const keys = await memberKeys('client-a');

    // A CSR whose signed part was altered: one letter of the requested CN changed in the DER.
    const { token: tamperToken } = await invite('client');
    const der = Buffer.from(keys.csrPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const cnAt = der.indexOf(Buffer.from('client-a'));
    expect(cnAt).toBeGreaterThan(0);
    der[cnAt] = 'C'.charCodeAt(0);
    const tamperedCsr = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE REQUEST-----\n`;
    const tampered = await fx.call('POST', '/v1/enroll', enrollBody(tamperToken, { ...keys, csrPem: tamperedCsr }), null);
    expect(tampered.status).toBe(400);
    expect(tampered.body).toMatchObject({ code: 'CSR_SIGNATURE' });
    const garbage = await fx.call('POST', '/v1/enroll', enrollBody(tamperToken, { ...keys, csrPem: 'not a certificate request' }), null);
    expect(garbage.status).toBe(400);
    expect(garbage.body).toMatchObject({ code: 'CSR_INVALID' });

    // The token survived the failed attempt; a valid enrollment consumes it; a second use is refused.
    const first = await fx.call('POST', '/v1/enroll', enrollBody(tamperToken, keys), null);
    expect(first.status).toBe(201);
    const other = await memberKeys('client-b');
    const reused = await fx.call('POST', '/v1/enroll', enrollBody(tamperToken, other), null);
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ code: 'TOKEN_USED' });

    const unknown = await fx.call('POST', '/v1/enroll', enrollBody('x'.repeat(43), other), null);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ code: 'TOKEN_UNKNOWN' });

    const { token: shortLived } = await invite('client', { expiresInHours: 1 });
    nowMs += 2 * 3600_000;
    const expired = await fx.call('POST', '/v1/enroll', enrollBody(shortLived, other), null);
    nowMs -= 2 * 3600_000;
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ code: 'TOKEN_EXPIRED' });

    // A proof made with another account key than the one claimed.
    const { token: proofToken } = await invite('client');
    const impostor = await memberKeys('client-c');
    const badProof = { ...enrollBody(proofToken, other), proofSignature: (enrollBody(proofToken, impostor) as { proofSignature: string }).proofSignature };
    const proofRefused = await fx.call('POST', '/v1/enroll', badProof, null);
    expect(proofRefused.status).toBe(400);
    expect(proofRefused.body).toMatchObject({ code: 'PROOF_INVALID' });

    // A proof over another token does not verify either.
    const { token: otherToken } = await invite('client');
    const crossed = { ...enrollBody(proofToken, other), proofSignature: (enrollBody(otherToken, other) as { proofSignature: string }).proofSignature };
    expect((await fx.call('POST', '/v1/enroll', crossed, null)).body).toMatchObject({ code: 'PROOF_INVALID' });

    expect(await certificateCount()).toBe(countBefore);
    const audit = (await fx.call('GET', '/v1/audit?limit=100')).body as { entries: { action: string; details: string }[] };
    const refusals = audit.entries.filter((entry) => entry.action === 'enrollment.refused').map((entry) => (JSON.parse(entry.details) as { code: string }).code);
    expect(refusals).toEqual(expect.arrayContaining(['CSR_SIGNATURE', 'CSR_INVALID', 'TOKEN_USED', 'TOKEN_UNKNOWN', 'TOKEN_EXPIRED', 'PROOF_INVALID']));
  });

  it('slows down an address that keeps failing to enroll', async () => {
    const keys = await memberKeys('client-spam');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 25; attempt++) {
      statuses.push((await fx.call('POST', '/v1/enroll', enrollBody(`unknown-token-${String(attempt).padStart(8, '0')}`, keys), null)).status);
    }
    expect(statuses.slice(-1)).toEqual([429]);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(20);
    // Even a valid token waits out the lockout.
    const { token } = await invite('client');
    const locked = await fx.call('POST', '/v1/enroll', enrollBody(token, keys), null);
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ code: 'ENROLL_THROTTLED' });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    nowMs += 16 * 60_000;
    expect((await fx.call('POST', '/v1/enroll', enrollBody(token, keys), null)).status).toBe(201);
    // The admin session did not survive the jump either: sign in again for the next case.
    fx.adminToken = ((await fx.call('POST', '/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, null)).body as { token: string }).token;
  });

  it('auto-approves under an auto-approve invitation and lets only the token holder fetch the result', async () => {
    const { token } = await invite('client', { autoApprove: true });
    const keys = await memberKeys('client-auto');
    const response = await fx.call('POST', '/v1/enroll', enrollBody(token, keys), null);
    expect(response.status).toBe(201);
    const result = response.body as EnrollResult;
    expect(result.status).toBe('approved');
    expect(result.certificatePem).toContain('BEGIN CERTIFICATE');
    const wrongToken = await fetch(`${fx.url}/v1/enroll/${result.id}`, { headers: { 'x-enrollment-token': 'y'.repeat(43) } });
    expect(wrongToken.status).toBe(404);
  });
});
