import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The network's node set (voters, learners, observers) as committed state. */
export class LedgerNodes1764000000003 implements MigrationInterface {
  name = 'LedgerNodes1764000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'ledger_nodes',
        columns: [
          { name: 'node_id', type: 'varchar', length: '64', isPrimary: true },
          { name: 'organization', type: 'varchar', length: '128' },
          { name: 'consensus_public_key', type: 'varchar', length: '66' },
          { name: 'spki_sha256', type: 'varchar', length: '64' },
          { name: 'p2p_address', type: 'varchar', length: '255' },
          { name: 'api_url', type: 'varchar', length: '256' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'since_height', type: 'bigint' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('ledger_nodes');
  }
}
