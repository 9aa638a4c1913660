import { blockHash, bytesEqual, decodeBlock, txRootOf, verifyPowSeal, type Block, type TxLimits } from '#chain';
import type { HeightRange } from './range-scheduler.js';
import type { ProofVerdict } from './leader-signature.js';

/** Checks a block's commit proof (PBFT certificate, Raft leader signature). */
export type CommitProofCheck = (block: Block, certificate: Uint8Array | undefined) => ProofVerdict;

/** A fetched block that passed every check that needs no world state. */
export interface CheckedBlock {
  block: Block;
  hash: Uint8Array;
  certificate?: Uint8Array;
}

/** What the checks of fetched blocks need to know. */
export interface BlockCheckContext {
  chainId: string;
  txLimits: TxLimits;
  powDifficultyBits: number;
}

/** Why a peer's answer was refused: the peer is not trusted further. */
export interface ServedBlockFault {
  code: 'SYNC_WRONG_RANGE' | 'SYNC_UNDECODABLE' | 'SYNC_WRONG_CHAIN' | 'SYNC_BAD_TX_ROOT' | 'SYNC_BAD_LINK' | 'SYNC_BAD_POW';
  message: string;
}

function fault(code: ServedBlockFault['code'], message: string): { ok: false; fault: ServedBlockFault } {
  return { ok: false, fault: { code, message } };
}

/**
 * Checks a peer's answer to a request for `range` without the world state: the blocks decode,
 * are the requested heights in order, belong to this chain, each links to the one before
 * (prevHash, height + 1), each header's txRoot is the Merkle root of its transactions, and the
 * PoW seal holds when on. The commit proof, execution and the state root are checked when the
 * block is applied on the ledger head (the validator set that signs may change with the chain).
 */
export function checkServedBlocks(
  encoded: readonly Uint8Array[],
  certificates: readonly Uint8Array[],
  range: HeightRange,
  context: BlockCheckContext,
): { ok: true; blocks: CheckedBlock[] } | { ok: false; fault: ServedBlockFault } {
  if (BigInt(encoded.length) > range.to - range.from + 1n) return fault('SYNC_WRONG_RANGE', `${encoded.length} blocks for ${range.from}..${range.to}`);
  if (certificates.length !== encoded.length) return fault('SYNC_WRONG_RANGE', `${certificates.length} certificates for ${encoded.length} blocks`);
  const blocks: CheckedBlock[] = [];
  for (let i = 0; i < encoded.length; i++) {
    let block: Block;
    try {
      block = decodeBlock(encoded[i], context.txLimits);
    } catch (error) {
      return fault('SYNC_UNDECODABLE', `block ${range.from + BigInt(i)}: ${(error as Error).message}`);
    }
    const { header } = block;
    const height = range.from + BigInt(i);
    if (header.height !== height) return fault('SYNC_WRONG_RANGE', `expected block ${height}, got ${header.height}`);
    if (header.chainId !== context.chainId) return fault('SYNC_WRONG_CHAIN', `block ${height} is for chain ${header.chainId}`);
    const previous = blocks[i - 1];
    if (previous && !bytesEqual(header.prevHash, previous.hash)) return fault('SYNC_BAD_LINK', `block ${height} does not link to block ${height - 1n}`);
    if (previous && header.timestampMs < previous.block.header.timestampMs) return fault('SYNC_BAD_LINK', `block ${height} is older than its parent`);
    if (!bytesEqual(header.txRoot, txRootOf(block.txs))) return fault('SYNC_BAD_TX_ROOT', `block ${height}: txRoot does not match its transactions`);
    if (!verifyPowSeal(header, context.powDifficultyBits)) return fault('SYNC_BAD_POW', `block ${height}: proof-of-work seal invalid`);
    const certificate = certificates[i].length > 0 ? certificates[i] : undefined;
    blocks.push({ block, hash: blockHash(header), certificate });
  }
  return { ok: true, blocks };
}
