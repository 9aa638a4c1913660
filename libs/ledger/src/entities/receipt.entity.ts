import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A transaction's final rejection, with its code. A committed transaction's receipt is its row in
 * ledger_transactions (height and position); rows here that say `committed` were written by
 * earlier versions, and the transaction row wins over any row here.
 */
@Entity({ name: 'ledger_receipts' })
export class ReceiptEntity {
  @PrimaryColumn({ name: 'tx_hash', type: 'varchar', length: 64 })
  txHash!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: 'committed' | 'rejected';

  @Column({ type: 'integer', nullable: true })
  height!: number | null;

  @Column({ type: 'integer', nullable: true })
  position!: number | null;

  /** `OK` for committed transactions, the rejection code otherwise. */
  @Column({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ type: 'text', nullable: true })
  message!: string | null;
}
