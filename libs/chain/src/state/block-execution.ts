import { bytesEqual, toHex } from '../bytes.js';
import { blockHash } from '../block/codec.js';
import { verifyPowSeal } from '../block/pow.js';
import type { Block, BlockHeader } from '../block/types.js';
import { ChainError, ChainErrorCode } from '../errors.js';
import { txRootOf } from '../block/tx-root.js';
import type { Transaction } from '../tx/transaction.js';
import { executeTransaction, type ExecutionContext } from './execute.js';
import type { LtHash } from './lthash.js';
import { StateOverlay, type CommittedState, type EntryChanges, type StateChanges, type StateDiff } from './world-state.js';

/** The outcome of one committed transaction. */
export interface Receipt {
  txHash: Uint8Array;
  height: bigint;
  /** Position in the block. */
  index: number;
}

/** A candidate transaction the proposer could not include, and why. */
export interface RejectedTx {
  tx: Transaction;
  code: ChainErrorCode;
}

/** What a proposer needs besides the candidates. */
export interface ProposalInput {
  parent: BlockHeader;
  timestampMs: bigint;
  proposer: string;
  consensusData?: Uint8Array;
  powDifficultyBits: number;
  maxTxs: number;
}

/** A proposed block with its effects (the PoW seal, when on, is added afterwards). */
export interface BuiltBlock {
  block: Block;
  diff: StateDiff;
  receipts: Receipt[];
  rejected: RejectedTx[];
}

/** The effects of applying a block. */
export interface ExecutedBlock {
  diff: StateDiff;
  receipts: Receipt[];
}

type BlockContext = Omit<ExecutionContext, 'height'>;

function receiptsOf(txs: readonly Transaction[], height: bigint): Receipt[] {
  return txs.map((tx, index) => ({ txHash: tx.hash, height, index }));
}

/**
 * Builds the next block from `candidates`, in the order given: each one is executed on an
 * overlay; the valid ones (at most `maxTxs`) are included, the others returned with their code.
 */
export function buildBlock(state: CommittedState, candidates: Iterable<Transaction>, input: ProposalInput, context: BlockContext): BuiltBlock {
  const height = input.parent.height + 1n;
  const overlay = new StateOverlay(state);
  const included: Transaction[] = [];
  const rejected: RejectedTx[] = [];
  const seen = new Set<string>();
  for (const tx of candidates) {
    if (included.length >= input.maxTxs) break;
    const hashHex = tx.hashHex;
    if (seen.has(hashHex)) {
      rejected.push({ tx, code: ChainErrorCode.DUPLICATE_TX_IN_BLOCK });
      continue;
    }
    const code = executeTransaction(overlay, tx, { ...context, height });
    if (code) {
      rejected.push({ tx, code });
      continue;
    }
    seen.add(hashHex);
    included.push(tx);
  }
  const diff = overlay.diff();
  const header: BlockHeader = {
    chainId: context.rules.chainId,
    height,
    prevHash: blockHash(input.parent),
    timestampMs: input.timestampMs > input.parent.timestampMs ? input.timestampMs : input.parent.timestampMs,
    txRoot: txRootOf(included),
    stateRoot: diff.stateRoot,
    proposer: input.proposer,
    consensusData: input.consensusData ?? new Uint8Array(0),
    txCount: included.length,
    powDifficultyBits: input.powDifficultyBits,
    powNonce: 0n,
  };
  return { block: { header, txs: included }, diff, receipts: receiptsOf(included, height), rejected };
}

function invalid(code: ChainErrorCode, message: string): never {
  throw new ChainError(code, message);
}

/** Checks a block's header against its parent and its own transactions, without executing them. */
export function checkBlockStructure(block: Block, parent: BlockHeader, chainId: string, requiredPowBits: number): void {
  const { header, txs } = block;
  if (header.chainId !== chainId) invalid(ChainErrorCode.WRONG_CHAIN_ID, `block is for chain ${header.chainId}`);
  if (header.height !== parent.height + 1n) invalid(ChainErrorCode.BAD_BLOCK_HEIGHT, `expected height ${parent.height + 1n}, got ${header.height}`);
  if (!bytesEqual(header.prevHash, blockHash(parent))) invalid(ChainErrorCode.BAD_PARENT, 'prevHash is not the hash of the parent header');
  if (header.timestampMs < parent.timestampMs) invalid(ChainErrorCode.MALFORMED_BLOCK, 'timestamp is before the parent');
  if (header.txCount !== txs.length) invalid(ChainErrorCode.MALFORMED_BLOCK, 'txCount does not match');
  if (!bytesEqual(header.txRoot, txRootOf(txs))) invalid(ChainErrorCode.BAD_TX_ROOT, 'txRoot does not match the transactions');
  if (!verifyPowSeal(header, requiredPowBits)) invalid(ChainErrorCode.BAD_POW, `proof-of-work seal invalid for ${requiredPowBits} bits`);
}

function executeOnOverlay(state: CommittedState, block: Block, parent: BlockHeader, context: BlockContext, requiredPowBits: number): StateOverlay {
  checkBlockStructure(block, parent, context.rules.chainId, requiredPowBits);
  const height = block.header.height;
  const overlay = new StateOverlay(state);
  const seen = new Set<string>();
  block.txs.forEach((tx, index) => {
    const hashHex = tx.hashHex;
    if (seen.has(hashHex)) invalid(ChainErrorCode.DUPLICATE_TX_IN_BLOCK, `transaction ${hashHex} appears twice`);
    seen.add(hashHex);
    const code = executeTransaction(overlay, tx, { ...context, height });
    if (code) invalid(code, `transaction ${index} (${hashHex}) is invalid: ${code}`);
  });
  return overlay;
}

/**
 * Validates and executes a block received from a proposer or a peer: structure, every
 * transaction (no duplicates, each valid in order), and the resulting state root. Throws
 * ChainError with the first problem's code; the base state is never modified.
 */
export function executeBlock(state: CommittedState, block: Block, parent: BlockHeader, context: BlockContext, requiredPowBits: number): ExecutedBlock {
  const diff = executeOnOverlay(state, block, parent, context, requiredPowBits).diff();
  checkStateRoot(diff.stateRoot, block.header);
  return { diff, receipts: receiptsOf(block.txs, block.header.height) };
}

/** A block executed without its state root yet: the commitment is computed elsewhere. */
export interface ExecutedChanges {
  changes: StateChanges;
  /** The entries that move the state commitment: see `LtHash.deltaOf`. */
  entries: EntryChanges;
  receipts: Receipt[];
}

/**
 * `executeBlock` without the state root: every other check, and the entries whose LtHash
 * expansions give the commitment (computed on other threads, then checked by `withStateRoot`
 * before the block counts as valid). Block sync executes runs of blocks this way.
 */
export function executeBlockChanges(state: CommittedState, block: Block, parent: BlockHeader, context: BlockContext, requiredPowBits: number): ExecutedChanges {
  const overlay = executeOnOverlay(state, block, parent, context, requiredPowBits);
  return { changes: overlay.changes(), entries: overlay.entryChanges(), receipts: receiptsOf(block.txs, block.header.height) };
}

/**
 * Completes a block executed by `executeBlockChanges`: `accumulator` (the state commitment before
 * the block) moves by `delta` (`LtHash.deltaOf` of its entries), and the result must be the
 * header's state root (ChainError BAD_STATE_ROOT otherwise). `accumulator` is left unchanged.
 */
export function withStateRoot(executed: ExecutedChanges, accumulator: LtHash, delta: Uint16Array, header: BlockHeader): ExecutedBlock {
  const lthash = accumulator.clone();
  lthash.addDelta(delta);
  const stateRoot = lthash.digest();
  checkStateRoot(stateRoot, header);
  return { diff: { ...executed.changes, lthash, stateRoot }, receipts: executed.receipts };
}

function checkStateRoot(stateRoot: Uint8Array, header: BlockHeader): void {
  if (!bytesEqual(stateRoot, header.stateRoot)) invalid(ChainErrorCode.BAD_STATE_ROOT, `state root ${toHex(stateRoot)} != header ${toHex(header.stateRoot)}`);
}
