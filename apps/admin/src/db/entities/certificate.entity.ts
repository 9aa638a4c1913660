import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `active` until revoked; a renewed certificate stays active until it expires or is revoked. */
export type CertificateStatus = 'active' | 'revoked';

/** A certificate issued by the consortium issuing CA. */
@Entity({ name: 'certificates' })
export class CertificateEntity {
  /** Lowercase hex serial without leading zeros. */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  serial!: string;

  @Column({ name: 'member_id', type: 'varchar', length: 36 })
  memberId!: string;

  @Column({ type: 'varchar', length: 16 })
  profile!: string;

  @Column({ type: 'text' })
  pem!: string;

  @Column({ name: 'spki_sha256', type: 'varchar', length: 64 })
  spkiSha256!: string;

  @Column({ name: 'fingerprint_sha256', type: 'varchar', length: 64 })
  fingerprintSha256!: string;

  @Column({ name: 'not_before', type: 'varchar', length: 32 })
  notBefore!: string;

  @Column({ name: 'not_after', type: 'varchar', length: 32 })
  notAfter!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: CertificateStatus;

  @Column({ name: 'revocation_reason', type: 'varchar', length: 32, nullable: true })
  revocationReason!: string | null;

  @Column({ name: 'revoked_at', type: 'varchar', length: 32, nullable: true })
  revokedAt!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}
