import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A transaction in a committed block. */
@Entity({ name: 'ledger_transactions' })
@Index('idx_ledger_transactions_position', ['height', 'position'], { unique: true })
@Index('idx_ledger_transactions_sender', ['sender', 'nonce'])
export class TransactionEntity {
  /** Transaction hash, lowercase hex. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  hash!: string;

  @Column({ type: 'integer' })
  height!: number;

  /** Index within the block. */
  @Column({ type: 'integer' })
  position!: number;

  /** Sender address, lowercase hex. */
  @Column({ type: 'varchar', length: 40 })
  sender!: string;

  /** Decimal string: nonces are unsigned 64-bit. */
  @Column({ type: 'varchar', length: 20 })
  nonce!: string;

  @Column({ type: 'integer' })
  type!: number;

  /** The canonical signed encoding, base64. */
  @Column({ type: 'text' })
  raw!: string;
}
