/** Transaction type numbers on the wire (`TxType` in proto/accord.proto). */
export const TxType = {
  TRANSFER: 1,
  RECORD: 2,
  MEMBER_ADD: 3,
  MEMBER_SUSPEND: 4,
  MEMBER_REMOVE: 5,
  MEMBER_REINSTATE: 6,
  NODE_ADD: 7,
  NODE_PROMOTE: 8,
  NODE_REMOVE: 9,
} as const;
/** A transaction type number. */
export type TxType = (typeof TxType)[keyof typeof TxType];

/** Member roles (`MemberRole` in proto/accord.proto). */
export const MemberRole = { CLIENT: 1, VALIDATOR: 2, ORG_ADMIN: 3 } as const;
/** A member role number. */
export type MemberRole = (typeof MemberRole)[keyof typeof MemberRole];

/** Role names as used in JSON (genesis, REST). */
export const MEMBER_ROLE_NAMES: Readonly<Record<MemberRole, string>> = {
  [MemberRole.CLIENT]: 'client',
  [MemberRole.VALIDATOR]: 'validator',
  [MemberRole.ORG_ADMIN]: 'org-admin',
};

/**
 * Roles of network nodes (`NodeRole` in proto/accord.proto). Voters take part in consensus;
 * learners receive every block and wait to be promoted; observers serve reads and never vote.
 */
export const NodeRole = { VOTER: 1, LEARNER: 2, OBSERVER: 3 } as const;
/** A node role number. */
export type NodeRole = (typeof NodeRole)[keyof typeof NodeRole];

/** Node role names as used in JSON (REST, admin). */
export const NODE_ROLE_NAMES: Readonly<Record<NodeRole, 'voter' | 'learner' | 'observer'>> = {
  [NodeRole.VOTER]: 'voter',
  [NodeRole.LEARNER]: 'learner',
  [NodeRole.OBSERVER]: 'observer',
};

/** Moves `amount` (an unsigned 64-bit integer) to the 20-byte address `to`. */
export interface TransferPayload {
  type: typeof TxType.TRANSFER;
  to: Uint8Array;
  amount: bigint;
}

/** Writes `value` (≤ 4 KiB) under `key`, once: records are write-once notarisations. */
export interface RecordPayload {
  type: typeof TxType.RECORD;
  key: string;
  value: Uint8Array;
}

/** Governance: admits a member (its 33-byte account public key) with a role. */
export interface MemberAddPayload {
  type: typeof TxType.MEMBER_ADD;
  publicKey: Uint8Array;
  role: MemberRole;
  organization: string;
}

/** Governance: suspends, removes (terminal) or reinstates a member. */
export interface MemberChangePayload {
  type: typeof TxType.MEMBER_SUSPEND | typeof TxType.MEMBER_REMOVE | typeof TxType.MEMBER_REINSTATE;
  publicKey: Uint8Array;
}

/**
 * Governance: adds a node to the network as a learner or an observer (never straight to voter:
 * a node votes only after it has caught up and a NODE_PROMOTE commits).
 */
export interface NodeAddPayload {
  type: typeof TxType.NODE_ADD;
  nodeId: string;
  organization: string;
  /** 33-byte compressed secp256k1 key that signs the node's consensus messages. */
  consensusPublicKey: Uint8Array;
  /** 32-byte SHA-256 of the TLS certificate's SubjectPublicKeyInfo: the node's p2p identity. */
  spkiSha256: Uint8Array;
  /** host:port of its p2p listener. */
  p2pAddress: string;
  /** Base URL of its REST API. */
  apiUrl: string;
  role: typeof NodeRole.LEARNER | typeof NodeRole.OBSERVER;
}

/** Governance: promotes a learner to voter, or removes a node (terminal). */
export interface NodeChangePayload {
  type: typeof TxType.NODE_PROMOTE | typeof TxType.NODE_REMOVE;
  nodeId: string;
}

/** What a transaction does. */
export type TxPayload = TransferPayload | RecordPayload | MemberAddPayload | MemberChangePayload | NodeAddPayload | NodeChangePayload;

/** The signed part of a transaction. */
export interface TxBody {
  /** Identifies the network; a signature for one chain is worthless on another. */
  chainId: string;
  /** 33-byte compressed secp256k1 public key of the signer. */
  sender: Uint8Array;
  /** The sender's next sequence number, from 0: replay protection and ordering. */
  nonce: bigint;
  payload: TxPayload;
}

/** Governance transaction types: only a governance key may send them. */
export function isGovernanceType(type: TxType): boolean {
  return type !== TxType.TRANSFER && type !== TxType.RECORD;
}

/** Transactions that change the network's node set (at most one per block). */
export function isNodeSetChange(type: TxType): boolean {
  return type === TxType.NODE_ADD || type === TxType.NODE_PROMOTE || type === TxType.NODE_REMOVE;
}

/** Largest value of an unsigned 64-bit integer. */
export const MAX_UINT64 = 0xffff_ffff_ffff_ffffn;
