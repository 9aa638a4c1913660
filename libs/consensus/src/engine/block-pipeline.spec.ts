import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildBlock, executeBlock, PendingState, type Transaction } from '#chain';
import { Ledger, type BlockToCommit } from '#ledger';
import { Mempool } from '#mempool';
import { testAccount, testGenesis, transfer } from '../../../../test/support/chain-fixtures.js';
import { tempDir } from '../../../../test/support/temp.js';
import { BlockPipeline, type CommittedBlockEvent, type RejectionEvent } from './block-pipeline.js';

const genesis = testGenesis({ members: 2, balance: 1_000_000n });
const [alice, bob] = [testAccount('member-0'), testAccount('member-1')];
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openPipeline(): Promise<{ ledger: Ledger; pool: Mempool; pipeline: BlockPipeline; committed: CommittedBlockEvent[]; rejected: RejectionEvent[] }> {
  const dir = tempDir('block-pipeline');
  cleanups.push(dir.cleanup);
  const ledger = await Ledger.open({ database: { kind: 'sqlite', path: join(dir.path, 'ledger.sqlite') }, genesis });
  cleanups.push(() => ledger.close());
  const pool = new Mempool({}, ledger.state, ledger.rules);
  const pipeline = new BlockPipeline(ledger, pool, { nodeId: 'test', maxTxsPerBlock: 100, powDifficultyBits: 0, clockMs: () => Date.now() });
  const committed: CommittedBlockEvent[] = [];
  const rejected: RejectionEvent[] = [];
  pipeline.onCommitted((event) => committed.push(event));
  pipeline.onRejected((events) => rejected.push(...events));
  return { ledger, pool, pipeline, committed, rejected };
}

/** Blocks holding `txsPerBlock` in order, each validated on top of the one before (a sync run). */
function runOf(ledger: Ledger, txsPerBlock: Transaction[][]): BlockToCommit[] {
  const state = new PendingState(ledger.state);
  let parent = ledger.headHeader;
  return txsPerBlock.map((txs) => {
    const built = buildBlock(state, txs, { parent, timestampMs: BigInt(Date.now()), proposer: 'peer', powDifficultyBits: 0, maxTxs: 100 }, { rules: ledger.rules });
    expect(built.rejected).toEqual([]);
    const executed = executeBlock(state, built.block, parent, { rules: ledger.rules }, 0);
    state.apply(executed.diff);
    parent = built.block.header;
    return { block: built.block, executed };
  });
}

describe('committing a run of blocks', () => {
  it('reports pooled transactions that a later block of the run includes as committed, never as replayed', async () => {
    const { ledger, pool, pipeline, committed, rejected } = await openPipeline();
    const txs = [0n, 1n, 2n].map((nonce) => transfer(alice, bob, 1n, nonce));
    for (const tx of txs) expect(pool.add(tx, 'rest')).toMatchObject({ accepted: true });

    await pipeline.commitMany(runOf(ledger, [[txs[0]], [txs[1]], [txs[2]]]));

    expect(rejected).toEqual([]);
    expect(committed.map((event) => event.block.txs.map((tx) => tx.hashHex))).toEqual(txs.map((tx) => [tx.hashHex]));
    expect(pool.size()).toBe(0);
    expect(await ledger.getOutcome(txs[2].hashHex)).toMatchObject({ status: 'committed', height: 3 });
  });

  it('drops a pooled transaction whose nonce the run used for another one, after the run commits', async () => {
    const { ledger, pool, pipeline, committed, rejected } = await openPipeline();
    const pooled = transfer(alice, bob, 1n, 1n);
    const rival = transfer(alice, bob, 2n, 1n);
    expect(pool.add(pooled, 'rest')).toMatchObject({ accepted: true });

    await pipeline.commitMany(runOf(ledger, [[transfer(alice, bob, 1n, 0n)], [rival]]));

    expect(committed).toHaveLength(2);
    expect(rejected).toEqual([{ hashHex: pooled.hashHex, code: 'NONCE_REPLAY', message: 'dropped after block 2: NONCE_REPLAY' }]);
    expect(pool.size()).toBe(0);
  });
});
