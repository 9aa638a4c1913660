/** Transaction type numbers on the wire (`TxType` in proto/accord.proto). */
export const TxType = {
  TRANSFER: 1,
  RECORD: 2,
  MEMBER_ADD: 3,
  MEMBER_SUSPEND: 4,
  MEMBER_REMOVE: 5,
  MEMBER_REINSTATE: 6,
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

/** What a transaction does. */
export type TxPayload = TransferPayload | RecordPayload | MemberAddPayload | MemberChangePayload;

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
  return type === TxType.MEMBER_ADD || type === TxType.MEMBER_SUSPEND || type === TxType.MEMBER_REMOVE || type === TxType.MEMBER_REINSTATE;
}

/** Largest value of an unsigned 64-bit integer. */
export const MAX_UINT64 = 0xffff_ffff_ffff_ffffn;
