import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MemberRole } from './member.entity.js';

/** A one-time enrollment invitation; the token itself is never stored, only its SHA-256. */
@Entity({ name: 'invitations' })
export class InvitationEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: MemberRole;

  @Column({ name: 'token_hash', type: 'varchar', length: 64, unique: true })
  tokenHash!: string;

  @Column({ name: 'expires_at', type: 'varchar', length: 32 })
  expiresAt!: string;

  @Column({ name: 'used_at', type: 'varchar', length: 32, nullable: true })
  usedAt!: string | null;

  @Column({ name: 'auto_approve', type: 'boolean' })
  autoApprove!: boolean;

  @Column({ type: 'varchar', length: 200, nullable: true })
  note!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 100 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}
