import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Portal/API user role: admins change things, auditors only read. */
export type UserRole = 'admin' | 'auditor';
export const USER_ROLES: readonly UserRole[] = ['admin', 'auditor'];

/** A consortium admin or auditor account. */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 100, unique: true })
  username!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: UserRole;

  /** `scrypt$N$r$p$saltHex$hashHex`. */
  @Column({ name: 'password_hash', type: 'varchar', length: 300 })
  passwordHash!: string;

  @Column({ name: 'must_change_password', type: 'boolean' })
  mustChangePassword!: boolean;

  /** A disabled user cannot log in and has no sessions. */
  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;
}
