import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A transaction in a committed block, keyed by where it sits in the chain.
 *
 * Rows arrive in chain order, so the (height, position) key only ever appends. Lookups by hash go
 * through `hash_key`, the hash's first 48 bits as an integer: a small integer index costs a
 * fraction of a unique index on 64-character text, which is written in random order. The key is
 * not unique (48 bits collide eventually), so every lookup also compares `hash`. A transaction
 * cannot commit twice: its sender's nonce advances when it commits.
 */
@Entity({ name: 'ledger_transactions' })
@Index('idx_ledger_transactions_hash_key', ['hashKey'])
export class TransactionEntity {
  @PrimaryColumn({ type: 'integer' })
  height!: number;

  /** Index within the block. */
  @PrimaryColumn({ type: 'integer' })
  position!: number;

  /** Transaction hash, lowercase hex. */
  @Column({ type: 'varchar', length: 64 })
  hash!: string;

  /** The hash's first 48 bits (`txHashKey`). */
  @Column({ name: 'hash_key', type: 'bigint', transformer: { to: (key: number) => key, from: (key: string | number) => Number(key) } })
  hashKey!: number;

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
