import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Lets admins disable a user account without deleting it (its audit trail keeps the name). */
export class UserDisabled1764000100000 implements MigrationInterface {
  name = 'UserDisabled1764000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('users', new TableColumn({ name: 'disabled', type: 'boolean', isNullable: false, default: false }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('users', 'disabled');
  }
}
