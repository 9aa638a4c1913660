import { expect } from 'vitest';
import type { AdminFixture } from './admin-fixture.js';
import { enrollBody, memberKeys } from './admin-fixture.js';

/**
 * The register exercised through the API: organisation, invitation, enrollment, approval,
 * direct member, certificate issue / renew / revoke, member removal, audit verification.
 * Run against each database engine.
 */
export async function exerciseRegister(fx: AdminFixture): Promise<void> {
  const org = await fx.call('POST', '/v1/organisations', { name: 'Globex' });
  expect(org.status).toBe(201);
  const organisationId = (org.body as { id: string }).id;
  expect((await fx.call('POST', '/v1/organisations', { name: 'Globex' })).body).toMatchObject({ code: 'ORGANISATION_EXISTS' });

  const invitation = await fx.call('POST', '/v1/invitations', { organisationId, role: 'validator', note: 'first validator' });
  const { token } = invitation.body as { token: string };
  const keys = await memberKeys('node-a');
  const enrolled = await fx.call('POST', '/v1/enroll', enrollBody(token, keys, { nodeId: 'node-a', p2pAddress: '127.0.0.1:7201', restUrl: 'http://127.0.0.1:8201' }), null);
  expect(enrolled.status).toBe(201);
  const approved = await fx.call('POST', `/v1/enrollments/${(enrolled.body as { id: string }).id}/approve`);
  expect(approved.status).toBe(200);
  const serial = (approved.body as { certificateSerial: string }).certificateSerial;

  const invitations = (await fx.call('GET', '/v1/invitations')).body as { state: string; autoApprove: boolean }[];
  expect(invitations[0]).toMatchObject({ state: 'used', autoApprove: false });

  // An admin-registered client stays invited until its first certificate.
  const clientKeys = await memberKeys('client-x');
  const accountKey = (enrollBody('t'.repeat(20), clientKeys) as { accountPublicKey: string }).accountPublicKey;
  const created = await fx.call('POST', '/v1/members', { organisationId, name: 'Globex back office', role: 'client', accountPublicKey: accountKey, initialBalance: '5000' });
  expect(created.body).toMatchObject({ status: 'invited', initialBalance: '5000' });
  const memberId = (created.body as { id: string }).id;
  expect((await fx.call('POST', '/v1/members', { organisationId, name: 'dup', role: 'client', accountPublicKey: accountKey })).body).toMatchObject({ code: 'ACCOUNT_KEY_IN_USE' });
  const issued = await fx.call('POST', '/v1/certificates', { memberId, csrPem: clientKeys.csrPem, validityDays: 20 });
  expect(issued.status).toBe(201);
  expect(issued.body).toMatchObject({ profile: 'client', status: 'active', expiresSoon: true });
  expect((await fx.call('GET', `/v1/members/${memberId}`)).body).toMatchObject({ status: 'active' });

  const renewed = await fx.call('POST', `/v1/certificates/${(issued.body as { serial: string }).serial}/renew`, {});
  expect(renewed.status).toBe(201);
  expect((renewed.body as { serial: string }).serial).not.toBe((issued.body as { serial: string }).serial);
  expect((renewed.body as { spkiSha256: string }).spkiSha256).toBe((issued.body as { spkiSha256: string }).spkiSha256);
  expect(renewed.body).toMatchObject({ expiresSoon: false });

  // Key rotation: renewal from a new CSR carries the new key.
  const rotatedKeys = await memberKeys('client-x-rotated');
  const rotated = await fx.call('POST', `/v1/certificates/${(renewed.body as { serial: string }).serial}/renew`, { csrPem: rotatedKeys.csrPem });
  expect(rotated.status).toBe(201);
  expect((rotated.body as { spkiSha256: string }).spkiSha256).not.toBe((renewed.body as { spkiSha256: string }).spkiSha256);

  const pkcs12 = await fx.call('POST', '/v1/certificates/pkcs12', { memberId, password: 'bundle-password' });
  expect(pkcs12.status).toBe(201);
  expect((pkcs12.body as { pkcs12Base64: string }).pkcs12Base64.length).toBeGreaterThan(1000);

  const before = (await fx.call('GET', '/v1/revocations', undefined, null)).body as { version: number };
  expect((await fx.call('POST', `/v1/certificates/${serial}/revoke`, { reason: 'superseded' })).status).toBe(200);
  expect((await fx.call('POST', `/v1/certificates/${serial}/revoke`, { reason: 'superseded' })).body).toMatchObject({ code: 'CERTIFICATE_REVOKED' });
  const removed = await fx.call('POST', `/v1/members/${memberId}/remove`);
  expect(removed.body).toMatchObject({ status: 'revoked' });
  const after = (await fx.call('GET', '/v1/revocations', undefined, null)).body as { version: number; serials: string[] };
  // One revocation plus the member's four certificates.
  expect(after.version).toBe(before.version + 5);
  expect(after.serials).toContain(serial);
  const memberCerts = (await fx.call('GET', `/v1/certificates?memberId=${memberId}`)).body as { status: string }[];
  expect(memberCerts.map((cert) => cert.status)).toEqual(['revoked', 'revoked', 'revoked', 'revoked']);

  const audit = await fx.call('GET', '/v1/audit/verify');
  expect(audit.body).toMatchObject({ ok: true });
  expect((audit.body as { rows: number }).rows).toBeGreaterThan(10);
}
