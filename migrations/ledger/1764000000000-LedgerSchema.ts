import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The ledger schema: blocks, transactions, receipts, state (accounts, members, records), meta, Kafka offsets. */
export class LedgerSchema1764000000000 implements MigrationInterface {
  name = 'LedgerSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'ledger_blocks',
        columns: [
          { name: 'height', type: 'integer', isPrimary: true },
          { name: 'hash', type: 'varchar', length: '64', isUnique: true },
          { name: 'prev_hash', type: 'varchar', length: '64' },
          { name: 'header', type: 'text' },
          { name: 'tx_count', type: 'integer' },
          { name: 'timestamp_ms', type: 'bigint' },
          { name: 'certificate', type: 'text', isNullable: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'ledger_transactions',
        columns: [
          { name: 'hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'height', type: 'integer' },
          { name: 'position', type: 'integer' },
          { name: 'sender', type: 'varchar', length: '40' },
          { name: 'nonce', type: 'varchar', length: '20' },
          { name: 'type', type: 'integer' },
          { name: 'raw', type: 'text' },
        ],
      }),
    );
    await queryRunner.createIndex('ledger_transactions', new TableIndex({ name: 'idx_ledger_transactions_position', columnNames: ['height', 'position'], isUnique: true }));
    await queryRunner.createIndex('ledger_transactions', new TableIndex({ name: 'idx_ledger_transactions_sender', columnNames: ['sender', 'nonce'] }));
    await queryRunner.createTable(
      new Table({
        name: 'ledger_receipts',
        columns: [
          { name: 'tx_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'height', type: 'integer', isNullable: true },
          { name: 'position', type: 'integer', isNullable: true },
          { name: 'code', type: 'varchar', length: '64' },
          { name: 'message', type: 'text', isNullable: true },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'ledger_accounts',
        columns: [
          { name: 'address', type: 'varchar', length: '40', isPrimary: true },
          { name: 'balance', type: 'varchar', length: '20' },
          { name: 'nonce', type: 'varchar', length: '20' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'ledger_members',
        columns: [
          { name: 'public_key', type: 'varchar', length: '66', isPrimary: true },
          { name: 'role', type: 'integer' },
          { name: 'organization', type: 'varchar', length: '128' },
          { name: 'status', type: 'varchar', length: '16' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'ledger_records',
        columns: [
          { name: 'key', type: 'varchar', length: '128', isPrimary: true },
          { name: 'value', type: 'text' },
          { name: 'owner', type: 'varchar', length: '40' },
          { name: 'height', type: 'integer' },
          { name: 'tx_hash', type: 'varchar', length: '64' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'ledger_meta',
        columns: [
          { name: 'key', type: 'varchar', length: '64', isPrimary: true },
          { name: 'value', type: 'text' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'ledger_kafka_offsets',
        columns: [
          { name: 'topic', type: 'varchar', length: '255', isPrimary: true },
          { name: 'partition', type: 'integer', isPrimary: true },
          { name: 'next_offset', type: 'varchar', length: '20' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['ledger_kafka_offsets', 'ledger_meta', 'ledger_records', 'ledger_members', 'ledger_accounts', 'ledger_receipts', 'ledger_transactions', 'ledger_blocks']) {
      await queryRunner.dropTable(table);
    }
  }
}
