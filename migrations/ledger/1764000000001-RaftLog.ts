import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Raft's stable storage: the log (encoded blocks) and the hard state, next to the ledger. */
export class RaftLog1764000000001 implements MigrationInterface {
  name = 'RaftLog1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'raft_entries',
        columns: [
          { name: 'idx', type: 'integer', isPrimary: true },
          { name: 'term', type: 'integer' },
          { name: 'data', type: 'text' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'raft_state',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'term', type: 'integer' },
          { name: 'vote', type: 'varchar', length: '64' },
          { name: 'commit_index', type: 'integer' },
          { name: 'snapshot_index', type: 'integer' },
          { name: 'snapshot_term', type: 'integer' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('raft_state');
    await queryRunner.dropTable('raft_entries');
  }
}
