import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where an enrollment request stands. */
export type EnrollmentStatus = 'pending' | 'approved' | 'rejected';

/** A member's enrollment request (CSR + account key) made with an invitation token. */
@Entity({ name: 'enrollments' })
export class EnrollmentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'invitation_id', type: 'varchar', length: 36, unique: true })
  invitationId!: string;

  @Column({ name: 'member_name', type: 'varchar', length: 200 })
  memberName!: string;

  @Column({ name: 'csr_pem', type: 'text' })
  csrPem!: string;

  @Column({ name: 'account_public_key', type: 'varchar', length: 66 })
  accountPublicKey!: string;

  @Column({ name: 'node_id', type: 'varchar', length: 128, nullable: true })
  nodeId!: string | null;

  @Column({ name: 'p2p_address', type: 'varchar', length: 255, nullable: true })
  p2pAddress!: string | null;

  @Column({ name: 'rest_url', type: 'varchar', length: 255, nullable: true })
  restUrl!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: EnrollmentStatus;

  @Column({ name: 'member_id', type: 'varchar', length: 36, nullable: true })
  memberId!: string | null;

  @Column({ name: 'certificate_serial', type: 'varchar', length: 40, nullable: true })
  certificateSerial!: string | null;

  @Column({ name: 'decided_by', type: 'varchar', length: 100, nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'decided_at', type: 'varchar', length: 32, nullable: true })
  decidedAt!: string | null;

  @Column({ name: 'reject_reason', type: 'varchar', length: 500, nullable: true })
  rejectReason!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}
