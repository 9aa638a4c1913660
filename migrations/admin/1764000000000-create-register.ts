import { Table, TableForeignKey, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

// Column types are the portable subset (varchar, text, integer, boolean) so that this one
// migration produces the same register on SQLite and Postgres. Times are ISO-8601 UTC strings,
// which sort correctly as text.
const id = (name = 'id'): TableColumnOptions => ({ name, type: 'varchar', length: '36', isPrimary: true });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const time = (name: string, nullable = false): TableColumnOptions => str(name, 32, nullable);
const flag = (name: string): TableColumnOptions => ({ name, type: 'boolean', isNullable: false });

function foreignKey(column: string, table: string, referenced = 'id'): TableForeignKey {
  return new TableForeignKey({ columnNames: [column], referencedTableName: table, referencedColumnNames: [referenced], onDelete: 'RESTRICT' });
}

/** Creates the admin register: organisations, members, certificates, onboarding, users, audit. */
export class CreateRegister1764000000000 implements MigrationInterface {
  name = 'CreateRegister1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({ name: 'organisations', columns: [id(), { ...str('name', 200), isUnique: true }, time('created_at')] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'members',
        columns: [
          id(),
          str('organisation_id', 36),
          str('name', 200),
          str('role', 16),
          str('status', 16),
          { ...str('account_public_key', 66), isUnique: true },
          { ...str('node_id', 128, true), isUnique: true },
          str('p2p_address', 255, true),
          str('rest_url', 255, true),
          str('initial_balance', 40),
          time('created_at'),
          time('updated_at'),
        ],
        foreignKeys: [foreignKey('organisation_id', 'organisations')],
        indices: [new TableIndex({ name: 'idx_members_organisation', columnNames: ['organisation_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'certificates',
        columns: [
          { ...str('serial', 40), isPrimary: true },
          str('member_id', 36),
          str('profile', 16),
          text('pem'),
          str('spki_sha256', 64),
          str('fingerprint_sha256', 64),
          time('not_before'),
          time('not_after'),
          str('status', 16),
          str('revocation_reason', 32, true),
          time('revoked_at', true),
          time('created_at'),
        ],
        foreignKeys: [foreignKey('member_id', 'members')],
        indices: [new TableIndex({ name: 'idx_certificates_member', columnNames: ['member_id'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'invitations',
        columns: [
          id(),
          str('organisation_id', 36),
          str('role', 16),
          { ...str('token_hash', 64), isUnique: true },
          time('expires_at'),
          time('used_at', true),
          flag('auto_approve'),
          str('note', 200, true),
          str('created_by', 100),
          time('created_at'),
        ],
        foreignKeys: [foreignKey('organisation_id', 'organisations')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'enrollments',
        columns: [
          id(),
          { ...str('invitation_id', 36), isUnique: true },
          str('member_name', 200),
          text('csr_pem'),
          str('account_public_key', 66),
          str('node_id', 128, true),
          str('p2p_address', 255, true),
          str('rest_url', 255, true),
          str('status', 16),
          str('member_id', 36, true),
          str('certificate_serial', 40, true),
          str('decided_by', 100, true),
          time('decided_at', true),
          str('reject_reason', 500, true),
          time('created_at'),
        ],
        foreignKeys: [foreignKey('invitation_id', 'invitations')],
        indices: [new TableIndex({ name: 'idx_enrollments_status', columnNames: ['status'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id(),
          { ...str('username', 100), isUnique: true },
          str('role', 16),
          str('password_hash', 300),
          flag('must_change_password'),
          time('created_at'),
          time('updated_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [{ ...str('token_hash', 64), isPrimary: true }, str('user_id', 36), time('expires_at'), time('created_at')],
        foreignKeys: [new TableForeignKey({ columnNames: ['user_id'], referencedTableName: 'users', referencedColumnNames: ['id'], onDelete: 'CASCADE' })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true },
          time('at'),
          str('actor', 100),
          str('action', 64),
          str('target', 200),
          text('details'),
          str('prev_hash', 64),
          str('hash', 64),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'key_material',
        columns: [{ ...str('name', 32), isPrimary: true }, text('cert_pem', true), text('public_key'), text('encrypted_key_pem'), time('created_at')],
      }),
    );
    await queryRunner.createTable(
      new Table({ name: 'settings', columns: [{ ...str('key', 64), isPrimary: true }, text('value'), time('updated_at')] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['settings', 'key_material', 'audit_log', 'sessions', 'users', 'enrollments', 'invitations', 'certificates', 'members', 'organisations']) {
      await queryRunner.dropTable(table);
    }
  }
}
