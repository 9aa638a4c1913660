import { signEnrollmentProof } from '#pki';
import type { AdminFixture } from '../../admin/support/admin-fixture.js';
import { enrollBody, memberKeys } from '../../admin/support/admin-fixture.js';

/** Ids and secrets of a small register, so fuzzed requests reach real rows and not only 404s. */
export interface SeededRegister {
  organisationId: string;
  memberId: string;
  memberAccountKey: string;
  certificateSerial: string;
  invitationId: string;
  openToken: string;
  usedToken: string;
  enrollmentId: string;
  csrPem: string;
  proofSignature: string;
  proofAccountKey: string;
}

async function created<T>(fx: AdminFixture, method: string, path: string, body: unknown, token?: string | null): Promise<T> {
  const response = await fx.call(method, path, body, token);
  if (response.status >= 300) throw new Error(`seeding the register: ${method} ${path} → ${response.status} ${response.text}`);
  return response.body as T;
}

/** An organisation, a client member with a certificate, an open invitation and a pending enrollment. */
export async function seedRegister(fx: AdminFixture): Promise<SeededRegister> {
  const { id: organisationId } = await created<{ id: string }>(fx, 'POST', '/v1/organisations', { name: 'Fuzz Org' });
  const clientKeys = await memberKeys('fuzz-client');
  const memberAccountKey = (enrollBody('t'.repeat(20), clientKeys) as { accountPublicKey: string }).accountPublicKey;
  const member = await created<{ id: string }>(fx, 'POST', '/v1/members', { organisationId, name: 'Fuzz client', role: 'client', accountPublicKey: memberAccountKey });
  const certificate = await created<{ serial: string }>(fx, 'POST', '/v1/certificates', { memberId: member.id, csrPem: clientKeys.csrPem });
  const used = await created<{ token: string }>(fx, 'POST', '/v1/invitations', { organisationId, role: 'validator' });
  const nodeKeys = await memberKeys('fuzz-node');
  const enrollment = await created<{ id: string }>(fx, 'POST', '/v1/enroll', enrollBody(used.token, nodeKeys, { nodeId: 'fuzz-node', p2pAddress: '127.0.0.1:7299', restUrl: 'http://127.0.0.1:8299' }), null);
  const open = await created<{ token: string; invitation: { id: string } }>(fx, 'POST', '/v1/invitations', { organisationId, role: 'client', note: 'fuzz' });
  const proof = signEnrollmentProof({ token: open.token, csrPem: nodeKeys.csrPem, accountPrivateKeyHex: nodeKeys.accountPrivateKeyHex });
  return {
    organisationId,
    memberId: member.id,
    memberAccountKey,
    certificateSerial: certificate.serial,
    invitationId: open.invitation.id,
    openToken: open.token,
    usedToken: used.token,
    enrollmentId: enrollment.id,
    csrPem: nodeKeys.csrPem,
    proofSignature: proof.signatureHex,
    proofAccountKey: proof.accountPublicKeyHex,
  };
}

/**
 * Rows written to the register so far, by any statement on the app's single SQLite connection
 * (`total_changes()`): equal before and after a request means the request wrote nothing.
 */
export async function registerWrites(fx: AdminFixture): Promise<number> {
  const [row] = (await fx.running.services.dataSource.query('SELECT total_changes() AS n')) as Array<{ n: number }>;
  return Number(row?.n);
}

/** Number of audit entries and the actions of those after `afterSeq`. */
export async function auditTail(fx: AdminFixture, afterSeq: number): Promise<{ lastSeq: number; actions: string[] }> {
  const rows = (await fx.running.services.dataSource.query('SELECT seq, action FROM "audit_log" WHERE seq > ? ORDER BY seq', [afterSeq])) as Array<{ seq: number; action: string }>;
  const [last] = (await fx.running.services.dataSource.query('SELECT MAX(seq) AS seq FROM "audit_log"')) as Array<{ seq: number | null }>;
  return { lastSeq: Number(last?.seq ?? 0), actions: rows.map((row) => row.action) };
}
