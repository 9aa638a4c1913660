import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row of the append-only, hash-chained audit log. */
@Entity({ name: 'audit_log' })
export class AuditEntryEntity {
  /** 1-based, gapless; assigned by the audit service, not the database. */
  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'varchar', length: 32 })
  at!: string;

  @Column({ type: 'varchar', length: 100 })
  actor!: string;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 200 })
  target!: string;

  /** Canonical JSON of the details object. */
  @Column({ type: 'text' })
  details!: string;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}
