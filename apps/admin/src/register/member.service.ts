import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { HttpAccordError } from '#common';
import type { AuditService } from '../audit/audit.service.js';
import type { CertificateService } from '../certificates/certificate.service.js';
import type { RevocationService } from '../certificates/revocation.service.js';
import { iso, type Clock } from '../clock.js';
import { MemberEntity, OrganisationEntity, type MemberRole, type MemberStatus } from '../db/entities/index.js';
import { writeTransaction, type WriteLock } from '../db/write-lock.js';
import { notFound } from '../errors.js';
import { assertNewMemberAcceptable, normaliseAccountKey, type NewMemberInput } from './member-input.js';
import { toMemberView, type MemberView } from './member-view.js';
import { NO_MEMBERSHIP_LISTENER, type MembershipChange, type MembershipListener } from './membership-events.js';

/** Filters for listing members. */
export interface MemberFilter {
  organisationId?: string;
  role?: MemberRole;
  status?: MemberStatus;
}

/** Members: direct creation, listing, and the suspend / reinstate / remove lifecycle. */
export class MemberService {
  private listener: MembershipListener = NO_MEMBERSHIP_LISTENER;

  constructor(
    private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
    private readonly certificates: CertificateService,
    private readonly revocations: RevocationService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Wires the consortium module in (it depends on this service, hence not a constructor argument). */
  setListener(listener: MembershipListener): void {
    this.listener = listener;
  }

  async list(filter: MemberFilter = {}): Promise<MemberView[]> {
    const where: MemberFilter = {};
    if (filter.organisationId) where.organisationId = filter.organisationId;
    if (filter.role) where.role = filter.role;
    if (filter.status) where.status = filter.status;
    const rows = await this.dataSource.getRepository(MemberEntity).find({ where, order: { createdAt: 'ASC' } });
    return rows.map(toMemberView);
  }

  async get(id: string): Promise<MemberView> {
    return toMemberView(await this.row(id));
  }

  /** Creates a member row inside the caller's transaction (enrollment approval, admin creation). */
  async insert(tx: EntityManager, actor: string, input: NewMemberInput, status: MemberStatus): Promise<MemberEntity> {
    if (!(await tx.getRepository(OrganisationEntity).findOneBy({ id: input.organisationId }))) throw notFound('organisation', input.organisationId);
    await assertNewMemberAcceptable(tx, input);
    const now = iso(this.clock());
    const member: MemberEntity = {
      id: randomUUID(),
      organisationId: input.organisationId,
      name: input.name,
      role: input.role,
      status,
      accountPublicKey: normaliseAccountKey(input.accountPublicKey),
      nodeId: input.nodeId ?? null,
      p2pAddress: input.p2pAddress ?? null,
      restUrl: input.restUrl ?? null,
      initialBalance: input.initialBalance ?? '0',
      createdAt: now,
      updatedAt: now,
    };
    await tx.getRepository(MemberEntity).insert(member);
    await this.audit.record({ actor, action: 'member.created', target: `member:${member.id}`, details: { role: member.role, organisationId: member.organisationId, nodeId: member.nodeId, status } }, tx);
    return member;
  }

  /** An admin registers a member directly; it stays `invited` until its first certificate. */
  async create(actor: string, input: NewMemberInput): Promise<MemberView> {
    const member = await writeTransaction(this.lock, this.dataSource, (tx) => this.insert(tx, actor, input, 'invited'));
    return toMemberView(member);
  }

  /** Suspends an active member (its certificates stay valid; the chain stops accepting it). */
  suspend(actor: string, id: string): Promise<MemberView> {
    return this.transition(actor, id, 'suspend', ['active'], 'suspended');
  }

  /** Lifts a suspension. */
  reinstate(actor: string, id: string): Promise<MemberView> {
    return this.transition(actor, id, 'reinstate', ['suspended'], 'active');
  }

  /** Removes a member for good: status revoked, every active certificate revoked. */
  remove(actor: string, id: string): Promise<MemberView> {
    return this.transition(actor, id, 'remove', ['invited', 'active', 'suspended'], 'revoked');
  }

  /** Hands a committed change to the chain side (governance transactions after genesis; it audits them). */
  async announce(actor: string, change: MembershipChange, memberId: string): Promise<void> {
    await this.listener.membershipChanged(actor, change, await this.row(memberId));
  }

  private async transition(actor: string, id: string, change: MembershipChange, from: MemberStatus[], to: MemberStatus): Promise<MemberView> {
    let revokedSerials: string[] = [];
    const member = await writeTransaction(this.lock, this.dataSource, async (tx) => {
      const row = await this.row(id, tx);
      if (!from.includes(row.status)) throw new HttpAccordError(409, 'MEMBER_STATE', `member ${id} is ${row.status}; cannot ${change}`);
      const updated: MemberEntity = { ...row, status: to, updatedAt: iso(this.clock()) };
      await tx.getRepository(MemberEntity).update({ id }, { status: to, updatedAt: updated.updatedAt });
      if (change === 'remove') revokedSerials = await this.certificates.revokeAllOfMember(tx, id, 'cessationOfOperation');
      await this.audit.record({ actor, action: `member.${change}`, target: `member:${id}`, details: { from: row.status, to, revokedSerials } }, tx);
      return updated;
    });
    if (revokedSerials.length > 0) await this.revocations.regenerateCrl();
    await this.announce(actor, change, member.id);
    return toMemberView(member);
  }

  private async row(id: string, manager: EntityManager = this.dataSource.manager): Promise<MemberEntity> {
    const member = await manager.getRepository(MemberEntity).findOneBy({ id });
    if (!member) throw notFound('member', id);
    return member;
  }
}
