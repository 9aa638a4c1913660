import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AuditService } from '../audit/audit.service.js';
import { generateSecretToken, hashToken } from '../auth/tokens.js';
import { iso, type Clock } from '../clock.js';
import { InvitationEntity, OrganisationEntity, type MemberRole } from '../db/entities/index.js';
import { writeTransaction, type WriteLock } from '../db/write-lock.js';
import { notFound } from '../errors.js';

/** What an admin asks for. */
export interface InvitationRequest {
  organisationId: string;
  role: MemberRole;
  /** Lifetime of the token (default 72 h). */
  expiresInHours?: number;
  /** Approve the enrollment as soon as it arrives and verifies. */
  autoApprove?: boolean;
  note?: string;
}

/** An invitation as the API shows it (never the token or its hash). */
export interface InvitationView {
  id: string;
  organisationId: string;
  role: MemberRole;
  expiresAt: string;
  usedAt: string | null;
  autoApprove: boolean;
  note: string | null;
  createdBy: string;
  createdAt: string;
  state: 'open' | 'used' | 'expired';
}

const DEFAULT_EXPIRY_HOURS = 72;

/** Creates invitations; the one-time token is returned once and only its hash is kept. */
export class InvitationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lock: WriteLock,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(actor: string, request: InvitationRequest): Promise<{ invitation: InvitationView; token: string }> {
    return writeTransaction(this.lock, this.dataSource, async (tx) => {
      if (!(await tx.getRepository(OrganisationEntity).findOneBy({ id: request.organisationId }))) throw notFound('organisation', request.organisationId);
      const token = generateSecretToken();
      const now = this.clock();
      const row: InvitationEntity = {
        id: randomUUID(),
        organisationId: request.organisationId,
        role: request.role,
        tokenHash: hashToken(token),
        expiresAt: iso(new Date(now.getTime() + (request.expiresInHours ?? DEFAULT_EXPIRY_HOURS) * 3600_000)),
        usedAt: null,
        autoApprove: request.autoApprove ?? false,
        note: request.note ?? null,
        createdBy: actor,
        createdAt: iso(now),
      };
      await tx.getRepository(InvitationEntity).insert(row);
      await this.audit.record({ actor, action: 'invitation.created', target: `invitation:${row.id}`, details: { organisationId: row.organisationId, role: row.role, expiresAt: row.expiresAt, autoApprove: row.autoApprove } }, tx);
      return { invitation: this.view(row), token };
    });
  }

  async list(): Promise<InvitationView[]> {
    const rows = await this.dataSource.getRepository(InvitationEntity).find({ order: { createdAt: 'DESC' } });
    return rows.map((row) => this.view(row));
  }

  private view(row: InvitationEntity): InvitationView {
    const state = row.usedAt ? 'used' : row.expiresAt <= iso(this.clock()) ? 'expired' : 'open';
    return {
      id: row.id,
      organisationId: row.organisationId,
      role: row.role,
      expiresAt: row.expiresAt,
      usedAt: row.usedAt,
      autoApprove: Boolean(row.autoApprove),
      note: row.note,
      createdBy: row.createdBy,
      createdAt: row.createdAt,
      state,
    };
  }
}
