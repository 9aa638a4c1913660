import { utf8 } from '../bytes.js';
import type { MemberRole } from '../tx/types.js';
import { ProtoWriter } from '../wire/writer.js';

/** An account: balance and the next nonce it must use. */
export interface Account {
  balance: bigint;
  nonce: bigint;
}

/** Member statuses on chain; `removed` is terminal. */
export type MemberStatus = 'active' | 'suspended' | 'removed';

/** A consortium member as the chain knows it. */
export interface Member {
  role: MemberRole;
  organization: string;
  status: MemberStatus;
}

/** Where a node stands in the network; `removed` is terminal (its id is never reused). */
export type NodeStatus = 'voter' | 'learner' | 'observer' | 'removed';

/** A network node (validator, learner or observer) as the chain knows it. */
export interface NetworkNode {
  organization: string;
  /** 33-byte secp256k1 key signing its consensus messages and Raft block signatures. */
  consensusPublicKey: Uint8Array;
  /** SHA-256 of its TLS SubjectPublicKeyInfo, lowercase hex: its p2p identity. */
  spkiSha256: string;
  p2pAddress: string;
  apiUrl: string;
  status: NodeStatus;
  /** Height of the block that gave the node its status (0 for genesis validators). */
  sinceHeight: bigint;
}

/** A write-once record. */
export interface RecordEntry {
  value: Uint8Array;
  /** Address of the account that wrote it. */
  owner: Uint8Array;
  /** Height of the block that wrote it. */
  height: bigint;
  /** Hash of the transaction that wrote it. */
  txHash: Uint8Array;
}

const STATUS_NUMBER: Readonly<Record<MemberStatus, number>> = { active: 1, suspended: 2, removed: 3 };

// Each entry kind has its own tag (field 1) so that entries of different kinds never collide.
const KIND_ACCOUNT = 1;
const KIND_MEMBER = 2;
const KIND_RECORD = 3;
const KIND_NODE = 4;

const NODE_STATUS_NUMBER: Readonly<Record<NodeStatus, number>> = { voter: 1, learner: 2, observer: 3, removed: 4 };

/** Canonical bytes of an account entry, as added to the state commitment. */
export function accountEntryBytes(address: Uint8Array, account: Account): Uint8Array {
  return new ProtoWriter(64).uint32(1, KIND_ACCOUNT).bytes(2, address).uint64(3, account.balance).uint64(4, account.nonce).finish();
}

/** Canonical bytes of a member entry. */
export function memberEntryBytes(publicKey: Uint8Array, member: Member): Uint8Array {
  return new ProtoWriter(96)
    .uint32(1, KIND_MEMBER)
    .bytes(2, publicKey)
    .uint32(3, member.role)
    .string(4, member.organization)
    .uint32(5, STATUS_NUMBER[member.status])
    .finish();
}

/** Canonical bytes of a node entry. */
export function nodeEntryBytes(nodeId: string, node: NetworkNode): Uint8Array {
  return new ProtoWriter(256)
    .uint32(1, KIND_NODE)
    .bytes(2, utf8(nodeId))
    .string(3, node.organization)
    .bytes(4, node.consensusPublicKey)
    .string(5, node.spkiSha256)
    .string(6, node.p2pAddress)
    .string(7, node.apiUrl)
    .uint32(8, NODE_STATUS_NUMBER[node.status])
    .uint64(9, node.sinceHeight)
    .finish();
}

/** Canonical bytes of a record entry. */
export function recordEntryBytes(key: string, record: RecordEntry): Uint8Array {
  return new ProtoWriter(128 + record.value.length)
    .uint32(1, KIND_RECORD)
    .bytes(2, utf8(key))
    .bytes(3, record.value)
    .bytes(4, record.owner)
    .uint64(5, record.height)
    .bytes(6, record.txHash)
    .finish();
}

/** Whether an account has no effect on state (never used): such accounts are not stored. */
export function isEmptyAccount(account: Account): boolean {
  return account.balance === 0n && account.nonce === 0n;
}
