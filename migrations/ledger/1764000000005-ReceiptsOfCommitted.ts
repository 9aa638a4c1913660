import type { MigrationInterface, QueryRunner } from 'typeorm';
import { qualifiedTable } from '../../libs/ledger/src/bulk-sql.js';

/**
 * Removes receipt rows of committed transactions. A committed transaction's receipt is its row
 * in ledger_transactions; rows here were written for it by earlier versions (`committed`
 * receipts), or record a rejection that its commit overtook (a resubmission, or a pool that
 * judged a run of blocks one block at a time). Reads already preferred the committed row.
 */
export class ReceiptsOfCommitted1764000000005 implements MigrationInterface {
  name = 'ReceiptsOfCommitted1764000000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    const receipts = qualifiedTable(queryRunner.connection, 'ledger_receipts');
    const transactions = qualifiedTable(queryRunner.connection, 'ledger_transactions');
    await queryRunner.query(`DELETE FROM ${receipts} WHERE "status" = 'committed' OR "tx_hash" IN (SELECT "hash" FROM ${transactions})`);
  }

  async down(): Promise<void> {
    // Nothing to restore: the rows removed said nothing that ledger_transactions does not.
  }
}
