import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a member does in the consortium. */
export type MemberRole = 'validator' | 'client' | 'org-admin';
/** Lifecycle of a member. */
export type MemberStatus = 'invited' | 'active' | 'suspended' | 'revoked';

export const MEMBER_ROLES: readonly MemberRole[] = ['validator', 'client', 'org-admin'];
export const MEMBER_STATUSES: readonly MemberStatus[] = ['invited', 'active', 'suspended', 'revoked'];

/** A member (validator node, client or org admin) of an organisation. */
@Entity({ name: 'members' })
export class MemberEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: MemberRole;

  @Column({ type: 'varchar', length: 16 })
  status!: MemberStatus;

  /** secp256k1 account public key, compressed, lowercase hex (66 chars). */
  @Column({ name: 'account_public_key', type: 'varchar', length: 66, unique: true })
  accountPublicKey!: string;

  @Column({ name: 'node_id', type: 'varchar', length: 128, nullable: true, unique: true })
  nodeId!: string | null;

  @Column({ name: 'p2p_address', type: 'varchar', length: 255, nullable: true })
  p2pAddress!: string | null;

  @Column({ name: 'rest_url', type: 'varchar', length: 255, nullable: true })
  restUrl!: string | null;

  /** Initial balance written into the genesis, as a decimal string. */
  @Column({ name: 'initial_balance', type: 'varchar', length: 40 })
  initialBalance!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;
}
