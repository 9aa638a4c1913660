import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An account's balance and next nonce (decimal strings: unsigned 64-bit). */
@Entity({ name: 'ledger_accounts' })
export class AccountEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  address!: string;

  @Column({ type: 'varchar', length: 20 })
  balance!: string;

  @Column({ type: 'varchar', length: 20 })
  nonce!: string;
}

/** A member as the chain knows it. */
@Entity({ name: 'ledger_members' })
export class MemberEntity {
  /** Compressed public key, lowercase hex. */
  @PrimaryColumn({ name: 'public_key', type: 'varchar', length: 66 })
  publicKey!: string;

  @Column({ type: 'integer' })
  role!: number;

  @Column({ type: 'varchar', length: 128 })
  organization!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;
}

/** A write-once record. */
@Entity({ name: 'ledger_records' })
export class RecordEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  key!: string;

  /** base64 */
  @Column({ type: 'text' })
  value!: string;

  /** Address of the writer, lowercase hex. */
  @Column({ type: 'varchar', length: 40 })
  owner!: string;

  @Column({ type: 'integer' })
  height!: number;

  @Column({ name: 'tx_hash', type: 'varchar', length: 64 })
  txHash!: string;
}

/** Small key/value facts about the chain (genesis hash). */
@Entity({ name: 'ledger_meta' })
export class MetaEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  key!: string;

  @Column({ type: 'text' })
  value!: string;
}

/**
 * The next Kafka offset to consume per partition, written in the same SQL transaction as the
 * block that holds the consumed transactions (so a restart resumes exactly where the ledger is).
 */
@Entity({ name: 'ledger_kafka_offsets' })
export class KafkaOffsetEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  topic!: string;

  @PrimaryColumn({ type: 'integer' })
  partition!: number;

  @Column({ name: 'next_offset', type: 'varchar', length: 20 })
  nextOffset!: string;
}

/** A network node (voter, learner, observer or removed) as the chain knows it. */
@Entity({ name: 'ledger_nodes' })
export class NodeEntity {
  @PrimaryColumn({ name: 'node_id', type: 'varchar', length: 64 })
  nodeId!: string;

  @Column({ type: 'varchar', length: 128 })
  organization!: string;

  /** Compressed secp256k1 key, lowercase hex. */
  @Column({ name: 'consensus_public_key', type: 'varchar', length: 66 })
  consensusPublicKey!: string;

  @Column({ name: 'spki_sha256', type: 'varchar', length: 64 })
  spkiSha256!: string;

  @Column({ name: 'p2p_address', type: 'varchar', length: 255 })
  p2pAddress!: string;

  @Column({ name: 'api_url', type: 'varchar', length: 256 })
  apiUrl!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'since_height', type: 'integer' })
  sinceHeight!: number;
}
