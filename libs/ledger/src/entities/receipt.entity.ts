import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A transaction's final rejection, with its code. A committed transaction's receipt is its row in
 * ledger_transactions (height and position), which wins over any row here; migration
 * ReceiptsOfCommitted removed the rows earlier versions wrote for committed transactions.
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
