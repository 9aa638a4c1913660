/**
 * Ledger commit throughput: blocks of 1,000 signed transfers committed to SQLite (and Postgres
 * with --postgres), one SQL transaction per block.
 *
 *   npm run build && node dist/bench/ledger/commit.bench.js [--blocks 30] [--postgres postgres://...]
 *   node --conditions=development --import tsx bench/ledger/commit.bench.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { addressOf, buildBlock, sha256, Transaction, TxType, utf8 } from '#chain';
import { Ledger, type LedgerDatabase } from '#ledger';
import { argument, benchChain } from '../support/bench-chain.js';
import { describeMachine, percentile } from '../support/machine.js';

const TXS_PER_BLOCK = 1000;
const SENDERS = 100;

const blocks = Number(argument('blocks', '30'));
const { keys, publics, genesis } = benchChain(SENDERS, TXS_PER_BLOCK);

// Pre-sign everything outside the timed loop: 10 transfers per sender per block to fresh addresses.
const signed: Transaction[][] = [];
for (let b = 0; b < blocks; b++) {
  const block: Transaction[] = [];
  for (let i = 0; i < TXS_PER_BLOCK; i++) {
    const sender = i % SENDERS;
    const nonce = BigInt(b * (TXS_PER_BLOCK / SENDERS) + Math.floor(i / SENDERS));
    const to = addressOf(sha256(utf8(`recipient ${b} ${i}`)));
    block.push(Transaction.sign({ chainId: 'bench', sender: publics[sender], nonce, payload: { type: TxType.TRANSFER, to, amount: 1n } }, keys[sender]));
  }
  signed.push(block);
}

async function run(label: string, database: LedgerDatabase): Promise<void> {
  const ledger = await Ledger.open({ database, genesis });
  const buildMs: number[] = [];
  const commitMs: number[] = [];
  const started = performance.now();
  for (const txs of signed) {
    const t0 = performance.now();
    // Signatures were verified at admission in a real node ("verified once"), so block building skips them here.
    const built = buildBlock(ledger.state, txs, { parent: ledger.headHeader, timestampMs: BigInt(Date.now()), proposer: 'bench', powDifficultyBits: 0, maxTxs: TXS_PER_BLOCK }, { rules: ledger.rules, isVerified: () => true });
    const t1 = performance.now();
    if (built.block.txs.length !== TXS_PER_BLOCK) throw new Error(`only ${built.block.txs.length} txs valid: ${built.rejected[0]?.code}`);
    await ledger.commitBlock(built.block, built);
    const t2 = performance.now();
    buildMs.push(t1 - t0);
    commitMs.push(t2 - t1);
  }
  const totalS = (performance.now() - started) / 1000;
  await ledger.close();
  const commitTotalS = commitMs.reduce((a, b) => a + b, 0) / 1000;
  console.log(
    `| ${label} | ${blocks} × ${TXS_PER_BLOCK} | ${Math.round((blocks * TXS_PER_BLOCK) / commitTotalS)} | ${percentile(commitMs, 50).toFixed(1)} / ${percentile(commitMs, 99).toFixed(1)} | ${percentile(buildMs, 50).toFixed(1)} | ${Math.round((blocks * TXS_PER_BLOCK) / totalS)} |`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'accord-bench-ledger-'));
console.log(`machine: ${describeMachine()}`);
console.log('| database | blocks × txs | commit tx/s | commit ms p50 / p99 | build ms p50 | build+commit tx/s |');
console.log('|---|---|---|---|---|---|');
await run('SQLite (WAL, synchronous=FULL)', { kind: 'sqlite', path: join(dir, 'full.sqlite') });
await run('SQLite (WAL, synchronous=NORMAL)', { kind: 'sqlite', path: join(dir, 'normal.sqlite'), synchronousFull: false });
const postgres = argument('postgres', '');
if (postgres) await run('Postgres', { kind: 'postgres', url: postgres, schema: `bench_${Date.now().toString(36)}` });
rmSync(dir, { recursive: true, force: true });
