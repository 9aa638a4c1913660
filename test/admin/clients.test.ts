import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminApiClient, enrollWithToken, publicAdminApi, waitForCertificate } from '../../apps/admin/src/index.js';
import { ADMIN_PASSWORD, startAdminFixture, type AdminFixture } from './support/admin-fixture.js';
import { opensslVerify } from './support/openssl.js';

describe('admin API clients (automation and member side)', () => {
  let fx: AdminFixture;
  let admin: AdminApiClient;
  let organisationId: string;

  beforeAll(async () => {
    fx = await startAdminFixture();
    admin = await AdminApiClient.login(fx.url, 'admin', ADMIN_PASSWORD);
    organisationId = (await admin.createOrganisation('Umbrella')).id;
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('enrolls a validator, waits for approval, and gets a certificate that verifies; then freezes a genesis', async () => {
    const { token } = await admin.createInvitation({ organisationId, role: 'validator' });
    const enrolled = await enrollWithToken({ adminUrl: fx.url, token, name: 'Umbrella node', organization: 'Umbrella', nodeId: 'umbrella-1', p2pAddress: '127.0.0.1:7501', restUrl: 'http://127.0.0.1:8501' });
    expect(enrolled.status).toBe('pending');
    expect(enrolled.privateKeyPem).toContain('PRIVATE KEY');
    const waiting = waitForCertificate(fx.url, enrolled, token, { intervalMs: 50, timeoutMs: 20_000 });
    await admin.approveEnrollment(enrolled.enrollmentId);
    const { certificatePem, chainPems } = await waiting;
    const ca = await publicAdminApi.ca(fx.url);
    expect(chainPems).toEqual([ca.issuingCertPem, ca.rootCertPem]);
    expect(opensslVerify(certificatePem, ca.rootCertPem, ca.issuingCertPem).ok).toBe(true);

    const frozen = await admin.generateGenesis({ consensus: 'raft' });
    const served = await publicAdminApi.genesis(fx.url);
    expect(served.hashHex).toBe(frozen.hash);
    expect(createHash('sha256').update(served.canonicalJson).digest('hex')).toBe(frozen.hash);
    expect((await publicAdminApi.revocations(fx.url)).serials).toEqual([]);
  });

  it('reports a rejection and refusals with their codes', async () => {
    const { token } = await admin.createInvitation({ organisationId, role: 'client' });
    const enrolled = await enrollWithToken({ adminUrl: fx.url, token, name: 'Umbrella desk', organization: 'Umbrella' });
    await admin.request('POST', `/v1/enrollments/${enrolled.enrollmentId}/reject`, { reason: 'unknown contact' });
    await expect(waitForCertificate(fx.url, enrolled, token, { intervalMs: 50 })).rejects.toMatchObject({ code: 'ENROLLMENT_REJECTED' });
    await expect(enrollWithToken({ adminUrl: fx.url, token, name: 'again', organization: 'Umbrella' })).rejects.toMatchObject({ code: 'TOKEN_USED' });
    await expect(AdminApiClient.login(fx.url, 'admin', 'wrong')).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });
});
