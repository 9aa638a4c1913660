import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A committed block header; transactions live in `ledger_transactions`. */
@Entity({ name: 'ledger_blocks' })
export class BlockEntity {
  @PrimaryColumn({ type: 'integer' })
  height!: number;

  /** Block hash, lowercase hex. */
  @Column({ type: 'varchar', length: 64, unique: true })
  hash!: string;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  /** The canonical encoded header, base64: the hash is recomputed from it on verification. */
  @Column({ type: 'text' })
  header!: string;

  @Column({ name: 'tx_count', type: 'integer' })
  txCount!: number;

  @Column({ name: 'timestamp_ms', type: 'bigint' })
  timestampMs!: string;

  /** Consensus proof that the block is committed (PBFT commit certificate, Raft leader signature), base64. */
  @Column({ type: 'text', nullable: true })
  certificate!: string | null;
}
