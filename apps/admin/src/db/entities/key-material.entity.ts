import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Names of the keys the admin app holds. */
export type KeyName = 'root-ca' | 'issuing-ca' | 'governance';

/** A CA certificate or the governance key; the private key is always stored encrypted. */
@Entity({ name: 'key_material' })
export class KeyMaterialEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  name!: KeyName;

  /** PEM certificate for CA keys; null for the governance key. */
  @Column({ name: 'cert_pem', type: 'text', nullable: true })
  certPem!: string | null;

  /** Public key: SPKI PEM for CAs, compressed secp256k1 hex for governance. */
  @Column({ name: 'public_key', type: 'text' })
  publicKey!: string;

  /** Encrypted PKCS#8 PEM. */
  @Column({ name: 'encrypted_key_pem', type: 'text' })
  encryptedKeyPem!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}
