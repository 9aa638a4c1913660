/**
 * "Verified once": validating a 2,000-transfer block when its signatures were verified at
 * admission (the node's pool vouches for them) vs when every signature must be verified.
 *
 *   node --conditions=development --import tsx bench/chain/verified-once.bench.ts [--txs 2000] [--rounds 5]
 */
import { performance } from 'node:perf_hooks';
import { addressOf, buildBlock, chainRulesOf, executeBlock, genesisBlock, genesisState, sha256, Transaction, TxType, utf8 } from '#chain';
import { argument, benchChain } from '../support/bench-chain.js';
import { describeMachine, percentile } from '../support/machine.js';

const TXS = Number(argument('txs', '2000'));
const ROUNDS = Number(argument('rounds', '5'));
const SENDERS = 100;
const { keys, publics, genesis } = benchChain(SENDERS, TXS);
const txs = Array.from({ length: TXS }, (_, i) =>
  Transaction.sign({ chainId: 'bench', sender: publics[i % SENDERS], nonce: BigInt(Math.floor(i / SENDERS)), payload: { type: TxType.TRANSFER, to: addressOf(sha256(utf8(`to ${i}`))), amount: 1n } }, keys[i % SENDERS]),
);
const rules = chainRulesOf(genesis);
const parent = genesisBlock(genesis).header;
const { block } = buildBlock(genesisState(genesis), txs, { parent, timestampMs: 1n, proposer: 'bench', powDifficultyBits: 0, maxTxs: TXS }, { rules, isVerified: () => true });
const vouched = new Set(txs.map((tx) => tx.hashHex));

function time(isVerified: (tx: Transaction) => boolean): number[] {
  // The pool answers by transaction hash, as the node does.
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Fresh transaction objects each round so no cached digest helps the "verify all" side.
    const fresh = { ...block, txs: block.txs.map((tx) => Transaction.fromBytes(tx.bytes)) };
    const started = performance.now();
    executeBlock(genesisState(genesis), fresh, parent, { rules, isVerified }, 0);
    samples.push(performance.now() - started);
  }
  return samples;
}

const all = time(() => false);
const once = time((tx) => vouched.has(tx.hashHex));
console.log(`machine: ${describeMachine()}`);
console.log(`| validation of a ${TXS}-transfer block | p50 ms | min ms |`);
console.log('|---|---|---|');
console.log(`| every signature verified (native libsecp256k1) | ${percentile(all, 50).toFixed(1)} | ${Math.min(...all).toFixed(1)} |`);
console.log(`| verified at admission, skipped here | ${percentile(once, 50).toFixed(1)} | ${Math.min(...once).toFixed(1)} |`);
