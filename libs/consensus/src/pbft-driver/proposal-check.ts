import { blockHash, decodeBlock, type Block, type ExecutedBlock } from '#chain';
import { AccordError } from '#common';
import type { BlockPipeline } from '../engine/block-pipeline.js';
import type { ProposalContext, ProposalVerdict } from '../pbft/types.js';
import { decodePbftView } from './consensus-data.js';

/** A proposal that passed, kept so the commit does not execute it a second time. */
export interface ValidatedBlock {
  block: Block;
  executed: ExecutedBlock;
  height: number;
}

/**
 * Whether a replica may vote for the block `bytes` at `height`: it extends the ledger head, was
 * built by the view's primary for that view (a re-proposal after a view change keeps its
 * original proposer and view), and executes against the head. Refusals carry a stable code.
 */
export function checkProposal(
  pipeline: BlockPipeline,
  height: number,
  bytes: Uint8Array,
  context: ProposalContext,
): { verdict: ProposalVerdict; validated?: ValidatedBlock } {
  const ledger = pipeline.ledger;
  if (BigInt(height) !== ledger.height + 1n) return { verdict: { ok: false, code: 'PBFT_PARENT_NOT_APPLIED' } };
  let block: Block;
  try {
    block = decodeBlock(bytes, ledger.txLimits);
  } catch {
    return { verdict: { ok: false, code: 'PBFT_BLOCK_UNDECODABLE' } };
  }
  if (!context.reproposed) {
    if (block.header.proposer !== context.primary) return { verdict: { ok: false, code: 'PBFT_WRONG_PROPOSER' } };
    if (decodePbftView(block.header.consensusData) !== context.view) return { verdict: { ok: false, code: 'PBFT_WRONG_VIEW' } };
  }
  try {
    const executed = pipeline.validate(block);
    const digest = blockHash(block.header);
    return { verdict: { ok: true, digest }, validated: { block, executed, height } };
  } catch (error) {
    return { verdict: { ok: false, code: error instanceof AccordError ? error.code : 'PBFT_BLOCK_INVALID' } };
  }
}
