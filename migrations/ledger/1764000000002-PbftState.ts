import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** PBFT's persistent replica state (one row: the encoded PbftPersistentState), next to the ledger. */
export class PbftState1764000000002 implements MigrationInterface {
  name = 'PbftState1764000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'pbft_state',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'state', type: 'text' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('pbft_state');
  }
}
