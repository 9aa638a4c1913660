import { buildBlock, type Genesis, type Transaction } from '#chain';
import type { Ledger } from '#ledger';

/** Builds the next block from `txs` on the ledger's head and commits it. */
export async function commitTxs(ledger: Ledger, txs: Transaction[], timestampMs = 1n): Promise<void> {
  const built = buildBlock(ledger.state, txs, { parent: ledger.headHeader, timestampMs: ledger.headHeader.timestampMs + timestampMs, proposer: 'test', powDifficultyBits: 0, maxTxs: 100_000 }, { rules: ledger.rules });
  if (built.rejected.length) throw new Error(`rejected: ${built.rejected.map((r) => r.code).join(',')}`);
  await ledger.commitBlock(built.block, built);
}

export type { Genesis };
