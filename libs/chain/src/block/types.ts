import type { Transaction } from '../tx/transaction.js';

/** A block header: everything the block hash covers. */
export interface BlockHeader {
  chainId: string;
  /** 0 for the genesis block. */
  height: bigint;
  /** Hash of the previous block's header (all zero for genesis). */
  prevHash: Uint8Array;
  /** Proposer's clock, milliseconds since the Unix epoch. */
  timestampMs: bigint;
  /** RFC 6962 Merkle root over the transaction hashes, in block order. */
  txRoot: Uint8Array;
  /** Commitment to the whole world state after this block (see state/lthash.ts). */
  stateRoot: Uint8Array;
  /** Node id of the validator that proposed the block. */
  proposer: string;
  /** Consensus-specific data (Raft term, PBFT view; genesis hash in block 0); opaque here. */
  consensusData: Uint8Array;
  /** Number of transactions. */
  txCount: number;
  /** Proof-of-work difficulty in leading zero bits of the block hash; 0 = off. */
  powDifficultyBits: number;
  /** Proof-of-work nonce (0 when off). */
  powNonce: bigint;
}

/** A block: header plus its transactions in order. */
export interface Block {
  header: BlockHeader;
  txs: Transaction[];
}
