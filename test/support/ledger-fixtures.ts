import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { buildBlock, type Genesis, type Transaction } from '#chain';
import type { Ledger, LedgerDatabase } from '#ledger';
import { tempDir } from './temp.js';

/** A SQLite ledger file in a temporary directory that is removed when the current test finishes. */
export function tempSqliteLedger(): LedgerDatabase & { kind: 'sqlite' } {
  const dir = tempDir('ledger');
  onTestFinished(dir.cleanup);
  return { kind: 'sqlite', path: join(dir.path, 'ledger.sqlite') };
}

/** Builds the next block from `txs` on the ledger's head and commits it. */
export async function commitTxs(ledger: Ledger, txs: Transaction[], timestampMs = 1n): Promise<void> {
  const built = buildBlock(ledger.state, txs, { parent: ledger.headHeader, timestampMs: ledger.headHeader.timestampMs + timestampMs, proposer: 'test', powDifficultyBits: 0, maxTxs: 100_000 }, { rules: ledger.rules });
  if (built.rejected.length) throw new Error(`rejected: ${built.rejected.map((r) => r.code).join(',')}`);
  await ledger.commitBlock(built.block, built);
}

export type { Genesis };
