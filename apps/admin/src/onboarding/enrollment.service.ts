import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AccordError, HttpAccordError } from '#common';
import { parseCsr, verifyEnrollmentProof } from '#pki';
import type { AuditService } from '../audit/audit.service.js';
import { LoginThrottle, type ThrottlePolicy } from '../auth/login-throttle.js';
import { hashToken } from '../auth/tokens.js';
import type { CertificateService } from '../certificates/certificate.service.js';
import { iso, type Clock } from '../clock.js';
import { EnrollmentEntity, InvitationEntity, type EnrollmentStatus } from '../db/entities/index.js';
import { writeTransaction, type WriteLock } from '../db/write-lock.js';
import { notFound } from '../errors.js';
import { assertNewMemberAcceptable, normaliseAccountKey } from '../register/member-input.js';
import type { MemberService } from '../register/member.service.js';

/** What a member sends to `POST /v1/enroll`. */
export interface EnrollmentRequest {
  token: string;
  name: string;
  csrPem: string;
  accountPublicKey: string;
  /** Compact secp256k1 signature (hex) over `enrollmentProofDigest` of token, CSR and account key. */
  proofSignature: string;
  nodeId?: string;
  p2pAddress?: string;
  restUrl?: string;
}

/** An enrollment as admins see it. */
export interface EnrollmentView {
  id: string;
  invitationId: string;
  organisationId: string;
  role: string;
  memberName: string;
  accountPublicKey: string;
  nodeId: string | null;
  p2pAddress: string | null;
  restUrl: string | null;
  csrSpkiSha256: string;
  status: EnrollmentStatus;
  memberId: string | null;
  certificateSerial: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  rejectReason: string | null;
  createdAt: string;
}

/** What the enrolling member can fetch with its enrollment id and token. */
export interface EnrollmentResult {
  id: string;
  status: EnrollmentStatus;
  memberId: string | null;
  certificatePem: string | null;
  /** Issuing CA then root, PEM. */
  chainPems: string[];
  rejectReason: string | null;
}

const AUTO_APPROVER = 'policy:auto-approve';

/** Enrollment is unauthenticated: an address that keeps failing is slowed down (and stops filling the audit log). */
export const ENROLL_THROTTLE_POLICY: ThrottlePolicy = { maxFailures: 20, windowMs: 15 * 60_000, lockoutMs: 15 * 60_000 };

/**
 * The onboarding flow: a member redeems an invitation token with a CSR and a proof of
 * possession of its account key; an admin (or the invitation's auto-approve policy) approves,
 * which creates the member and issues its certificate.
 */
export class EnrollmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
    private readonly members: MemberService,
    private readonly certificates: CertificateService,
    private readonly chainPems: () => string[],
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly throttle = new LoginThrottle(ENROLL_THROTTLE_POLICY),
  ) {}

  /**
   * Verifies everything before consuming the token: a request that fails any check issues
   * nothing and leaves the invitation usable.
   */
  async enroll(request: EnrollmentRequest, ip: string): Promise<EnrollmentResult> {
    const throttleKey = `enroll:${ip}`;
    const retryAfter = this.throttle.retryAfterSeconds(throttleKey, this.clock().getTime());
    if (retryAfter > 0) {
      throw new HttpAccordError(429, 'ENROLL_THROTTLED', `too many failed enrollments from this address; retry in ${retryAfter} s`, { headers: { 'Retry-After': String(retryAfter) } });
    }
    let invitationId = 'unknown';
    let enrollment: { row: EnrollmentEntity; autoApprove: boolean };
    try {
      enrollment = await writeTransaction(this.lock, this.dataSource, async (tx) => {
        const invitation = await tx.getRepository(InvitationEntity).findOneBy({ tokenHash: hashToken(request.token) });
        if (!invitation) throw new AccordError('TOKEN_UNKNOWN', 'unknown enrollment token');
        invitationId = invitation.id;
        if (invitation.usedAt) throw new AccordError('TOKEN_USED', 'this enrollment token was already used');
        if (invitation.expiresAt <= iso(this.clock())) throw new AccordError('TOKEN_EXPIRED', 'this enrollment token has expired');
        const csrSpkiSha256 = parseCsr(request.csrPem).spkiSha256;
        const accountPublicKey = normaliseAccountKey(request.accountPublicKey);
        if (!safeVerifyProof(request.token, request.csrPem, accountPublicKey, request.proofSignature)) {
          throw new AccordError('PROOF_INVALID', 'the proof signature does not verify with the account public key');
        }
        await assertNewMemberAcceptable(tx, { ...request, accountPublicKey, organisationId: invitation.organisationId, role: invitation.role });
        const consumed = await tx
          .createQueryBuilder()
          .update(InvitationEntity)
          .set({ usedAt: iso(this.clock()) })
          .where('id = :id AND used_at IS NULL', { id: invitation.id })
          .execute();
        if (consumed.affected !== 1) throw new AccordError('TOKEN_USED', 'this enrollment token was already used');
        const row = this.newEnrollment(invitation.id, request, accountPublicKey);
        await tx.getRepository(EnrollmentEntity).insert(row);
        await this.audit.record({ actor: 'anonymous', action: 'enrollment.submitted', target: `enrollment:${row.id}`, details: { invitationId: invitation.id, role: invitation.role, csrSpkiSha256, ip } }, tx);
        return { row, autoApprove: Boolean(invitation.autoApprove) };
      });
    } catch (error) {
      // Refusals are audited after the rollback, so the record survives it.
      const code = error instanceof AccordError ? error.code : 'INTERNAL';
      this.throttle.recordFailure(throttleKey, this.clock().getTime());
      await this.audit.record({ actor: 'anonymous', action: 'enrollment.refused', target: `invitation:${invitationId}`, details: { code, ip } });
      throw error;
    }
    if (enrollment.autoApprove) {
      try {
        await this.approve(AUTO_APPROVER, enrollment.row.id);
      } catch (error) {
        // The request itself was valid and is kept: it waits for an admin instead.
        const code = error instanceof AccordError ? error.code : 'INTERNAL';
        await this.audit.record({ actor: AUTO_APPROVER, action: 'enrollment.auto-approve-failed', target: `enrollment:${enrollment.row.id}`, details: { code } });
      }
    }
    return this.result(enrollment.row.id, request.token);
  }

  private newEnrollment(invitationId: string, request: EnrollmentRequest, accountPublicKey: string): EnrollmentEntity {
    return {
      id: randomUUID(),
      invitationId,
      memberName: request.name,
      csrPem: request.csrPem,
      accountPublicKey,
      nodeId: request.nodeId ?? null,
      p2pAddress: request.p2pAddress ?? null,
      restUrl: request.restUrl ?? null,
      status: 'pending',
      memberId: null,
      certificateSerial: null,
      decidedBy: null,
      decidedAt: null,
      rejectReason: null,
      createdAt: iso(this.clock()),
    };
  }

  /** Creates the member and issues its certificate from the stored CSR. */
  async approve(actor: string, id: string): Promise<EnrollmentView> {
    const memberId = await writeTransaction(this.lock, this.dataSource, async (tx) => {
      const { enrollment, invitation } = await this.pending(tx, id);
      const member = await this.members.insert(tx, actor, {
        organisationId: invitation.organisationId,
        name: enrollment.memberName,
        role: invitation.role,
        accountPublicKey: enrollment.accountPublicKey,
        nodeId: enrollment.nodeId,
        p2pAddress: enrollment.p2pAddress,
        restUrl: enrollment.restUrl,
      }, 'active');
      const certificate = await this.certificates.issueFromCsr(actor, member.id, enrollment.csrPem, undefined, tx);
      await tx.getRepository(EnrollmentEntity).update({ id }, { status: 'approved', memberId: member.id, certificateSerial: certificate.serial, decidedBy: actor, decidedAt: iso(this.clock()) });
      await this.audit.record({ actor, action: 'enrollment.approved', target: `enrollment:${id}`, details: { memberId: member.id, serial: certificate.serial } }, tx);
      return member.id;
    });
    await this.members.announce(actor, 'add', memberId);
    return this.get(id);
  }

  async reject(actor: string, id: string, reason: string): Promise<EnrollmentView> {
    await writeTransaction(this.lock, this.dataSource, async (tx) => {
      await this.pending(tx, id);
      await tx.getRepository(EnrollmentEntity).update({ id }, { status: 'rejected', decidedBy: actor, decidedAt: iso(this.clock()), rejectReason: reason });
      await this.audit.record({ actor, action: 'enrollment.rejected', target: `enrollment:${id}`, details: { reason } }, tx);
    });
    return this.get(id);
  }

  async list(status?: EnrollmentStatus): Promise<EnrollmentView[]> {
    const rows = await this.dataSource.getRepository(EnrollmentEntity).find({ where: status ? { status } : {}, order: { createdAt: 'DESC' } });
    return Promise.all(rows.map((row) => this.view(row)));
  }

  async get(id: string): Promise<EnrollmentView> {
    const row = await this.dataSource.getRepository(EnrollmentEntity).findOneBy({ id });
    if (!row) throw notFound('enrollment', id);
    return this.view(row);
  }

  /** The member's own view; the token proves it is the member who enrolled. */
  async result(id: string, token: string): Promise<EnrollmentResult> {
    const row = await this.dataSource.getRepository(EnrollmentEntity).findOneBy({ id });
    const invitation = row ? await this.dataSource.getRepository(InvitationEntity).findOneBy({ id: row.invitationId }) : null;
    if (!row || !invitation || invitation.tokenHash !== hashToken(token)) {
      throw new HttpAccordError(404, 'ENROLLMENT_NOT_FOUND', 'no enrollment with this id for this token');
    }
    const certificate = row.certificateSerial ? await this.certificates.get(row.certificateSerial) : undefined;
    return {
      id: row.id,
      status: row.status,
      memberId: row.memberId,
      certificatePem: certificate?.pem ?? null,
      chainPems: certificate ? this.chainPems() : [],
      rejectReason: row.rejectReason,
    };
  }

  private async pending(tx: EntityManager, id: string): Promise<{ enrollment: EnrollmentEntity; invitation: InvitationEntity }> {
    const enrollment = await tx.getRepository(EnrollmentEntity).findOneBy({ id });
    if (!enrollment) throw notFound('enrollment', id);
    if (enrollment.status !== 'pending') throw new HttpAccordError(409, 'ENROLLMENT_DECIDED', `enrollment ${id} is already ${enrollment.status}`);
    const invitation = await tx.getRepository(InvitationEntity).findOneByOrFail({ id: enrollment.invitationId });
    return { enrollment, invitation };
  }

  private async view(row: EnrollmentEntity): Promise<EnrollmentView> {
    const invitation = await this.dataSource.getRepository(InvitationEntity).findOneByOrFail({ id: row.invitationId });
    let csrSpkiSha256 = '';
    try {
      csrSpkiSha256 = parseCsr(row.csrPem).spkiSha256;
    } catch {
      // Stored CSRs were verified on arrival; an unreadable one is shown without a fingerprint.
    }
    return {
      id: row.id,
      invitationId: row.invitationId,
      organisationId: invitation.organisationId,
      role: invitation.role,
      memberName: row.memberName,
      accountPublicKey: row.accountPublicKey,
      nodeId: row.nodeId,
      p2pAddress: row.p2pAddress,
      restUrl: row.restUrl,
      csrSpkiSha256,
      status: row.status,
      memberId: row.memberId,
      certificateSerial: row.certificateSerial,
      decidedBy: row.decidedBy,
      decidedAt: row.decidedAt,
      rejectReason: row.rejectReason,
      createdAt: row.createdAt,
    };
  }
}

function safeVerifyProof(token: string, csrPem: string, accountPublicKeyHex: string, signatureHex: string): boolean {
  try {
    return verifyEnrollmentProof({ token, csrPem, accountPublicKeyHex, signatureHex });
  } catch {
    return false;
  }
}
