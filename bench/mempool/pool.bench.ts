// Run: node --single-threaded-gc --conditions=development --import tsx bench/mempool/pool.bench.ts [senders=1000] [txsPerSender=50]
//
// `--single-threaded-gc` keeps garbage collection on the main thread, so the process CPU time
// reported is one core's work, GC included (wall time is also reported; on a shared machine it
// includes waiting for the CPU).
//
// Measures the transaction pool on one core: admission throughput (in nonce order, in reverse
// nonce order so every tx is first gapped, and at the bound with eviction), block selection
// (2,000 txs from a full pool), and the post-commit re-validation sweep. Transactions carry a
// placeholder signature: the pool takes already-verified txs, so verification is out of scope.
// Each timed `add` includes the SHA-256 of the tx (its hash is computed on first use), except
// in the row that says otherwise.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { addressOf, publicKeyOf, sha256, toHex, Transaction, TxType, utf8, WorldState, type ChainRules } from '#chain';
import { Mempool } from '#mempool';

const senderCount = Number(process.argv[2] ?? 1000);
const txsPerSender = Number(process.argv[3] ?? 50);
const blockTxs = 2000;
const selectRuns = 50;
const chainId = 'accord-bench';
const signature = new Uint8Array(64).fill(1);

interface Sender {
  publicKey: Uint8Array;
  publicKeyHex: string;
  addressHex: string;
}

const senders: Sender[] = Array.from({ length: senderCount }, (_, i) => {
  const publicKey = publicKeyOf(sha256(utf8(`bench sender ${i}`)));
  return { publicKey, publicKeyHex: toHex(publicKey), addressHex: toHex(addressOf(publicKey)) };
});
const recipient = addressOf(publicKeyOf(sha256(utf8('bench recipient'))));

function freshState(): WorldState {
  const state = new WorldState();
  for (const sender of senders) {
    state.members.set(sender.publicKeyHex, { role: 1, organization: 'Bench', status: 'active' });
    state.accounts.set(sender.addressHex, { balance: 10n ** 12n, nonce: 0n });
  }
  return state;
}

const rules: ChainRules = { chainId, maxTxBytes: 8192, maxRecordValueBytes: 4096, maxTransferAmount: 10n ** 12n, governanceKeys: new Set() };

/** Fresh Transaction objects (no cached hash), `txsPerSender` per sender, sender-major nonce order. */
function makeTxs(nonceOffset = 0n): Transaction[][] {
  return senders.map((sender) =>
    Array.from({ length: txsPerSender }, (_, n) =>
      Transaction.fromParts({ chainId, sender: sender.publicKey, nonce: BigInt(n) + nonceOffset, payload: { type: TxType.TRANSFER, to: recipient, amount: 1n } }, signature),
    ),
  );
}

/** Round-robin interleaving (each sender's txs in the given order), like traffic from many clients. */
function interleave(perSender: Transaction[][], reverse: boolean): Transaction[] {
  const out: Transaction[] = [];
  for (let n = 0; n < txsPerSender; n++) {
    for (const txs of perSender) out.push(txs[reverse ? txsPerSender - 1 - n : n]);
  }
  return out;
}

interface Timing {
  wallMs: number;
  /** CPU time of this process (user + system): less distorted than wall time on a shared machine. */
  cpuMs: number;
}

// A full collection before each timed section, so garbage from building the inputs is not
// charged to the operation measured.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

function measure(run: () => void): Timing {
  collectGarbage();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  run();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function timeAdds(pool: Mempool, txs: readonly Transaction[]): Timing & { accepted: number } {
  let accepted = 0;
  const timing = measure(() => {
    for (const tx of txs) if (pool.add(tx, 'kafka').accepted) accepted++;
  });
  return { ...timing, accepted };
}

/** Runs a scenario `repeats` times on fresh inputs; keeps the run with the median CPU time. */
function repeated<T extends Timing>(repeats: number, scenario: () => T): T {
  const runs = Array.from({ length: repeats }, scenario).sort((a, b) => a.cpuMs - b.cpuMs);
  return runs[Math.floor(runs.length / 2)];
}

function repeatedMedian(timings: Timing[]): Timing {
  const sorted = [...timings].sort((a, b) => a.cpuMs - b.cpuMs);
  return sorted[Math.floor(sorted.length / 2)];
}

const total = senderCount * txsPerSender;
const repeats = 5;
const rows: string[] = [];
function row(operation: string, n: number, timing: Timing, note = ''): void {
  const perSecond = (ms: number) => ((n / ms) * 1000).toFixed(0);
  rows.push(`| ${operation} | ${n} | ${timing.wallMs.toFixed(2)} | ${timing.cpuMs.toFixed(2)} | ${perSecond(timing.wallMs)} | ${perSecond(timing.cpuMs)} | ${note} |`);
}

// Warm-up so the JIT has seen every path before timing.
{
  const warm = new Mempool({ maxTxs: total }, freshState(), rules);
  for (const tx of interleave(makeTxs(), true).slice(0, 20_000)) warm.add(tx, 'rest');
  const block = warm.selectForBlock(blockTxs);
  const hashes = block.map((tx) => tx.hashHex);
  warm.onBlockCommitted(hashes.slice(0, blockTxs / 2), block.slice(0, blockTxs / 2));
  warm.onBlockCommitted(hashes.slice(blockTxs / 2));
}

// 1. Admission in nonce order: every tx is ready on arrival.
const inOrder = repeated(repeats, () => timeAdds(new Mempool({ maxTxs: total }, freshState(), rules), interleave(makeTxs(), false)));
row('add, nonce order (all ready)', inOrder.accepted, inOrder);
// The same with each tx's SHA-256 already computed, as it is once the verification stage has
// deduplicated by hash: what remains is the pool's own work.
const inOrderHashed = repeated(repeats, () => {
  const txs = interleave(makeTxs(), false);
  for (const tx of txs) void tx.hash;
  return timeAdds(new Mempool({ maxTxs: total }, freshState(), rules), txs);
});
row('add, nonce order, tx hash precomputed', inOrderHashed.accepted, inOrderHashed);

// 2. Admission in reverse nonce order: gapped first, promoted when nonce 0 arrives.
let readyAfterReverse = 0;
const reverse = repeated(repeats, () => {
  const reversePool = new Mempool({ maxTxs: total }, freshState(), rules);
  const timing = timeAdds(reversePool, interleave(makeTxs(), true));
  readyAfterReverse = reversePool.readyCount();
  return timing;
});
row('add, reverse nonce order (queued, then promoted)', reverse.accepted, reverse, `ready after: ${readyAfterReverse}`);

// 3. Selection of a 2,000-tx block from a full pool (it removes nothing, so repeat).
const pool = new Mempool({ maxTxs: total }, freshState(), rules);
timeAdds(pool, interleave(makeTxs(), false));
const selectTimings: Timing[] = [];
let selected: Transaction[] = [];
for (let run = 0; run < selectRuns; run++) selectTimings.push(measure(() => (selected = pool.selectForBlock(blockTxs))));
const selectMedian = repeatedMedian(selectTimings);
row(`selectForBlock(${blockTxs}) from ${pool.size()} pooled (median of ${selectRuns})`, selected.length, selectMedian, `max wall ${Math.max(...selectTimings.map((t) => t.wallMs)).toFixed(2)} ms`);

// 4. Post-commit on a full pool: apply a selected block to the state by hand (the chain's
// execution is not what is measured), then let the pool remove it and re-validate, either told
// only the hashes (every sender re-validated) or given the block's transactions (only what
// they touched).
function commitScenario(passCommittedTxs: boolean): Timing & { dropped: number } {
  const state = freshState();
  const fullPool = new Mempool({ maxTxs: total }, state, rules);
  timeAdds(fullPool, interleave(makeTxs(), false));
  const block = fullPool.selectForBlock(blockTxs);
  for (const tx of block) {
    const addressHex = toHex(tx.senderAddress);
    const account = state.accounts.get(addressHex);
    if (!account) throw new Error('bench state is missing a sender');
    state.accounts.set(addressHex, { balance: account.balance - 1n, nonce: account.nonce + 1n });
  }
  const hashes = block.map((tx) => tx.hashHex);
  let dropped = 0;
  const timing = measure(() => {
    dropped = (passCommittedTxs ? fullPool.onBlockCommitted(hashes, block) : fullPool.onBlockCommitted(hashes)).dropped.length;
  });
  return { ...timing, dropped };
}
const commitRepeats = 5;
const commitTouched = repeated(commitRepeats, () => commitScenario(true));
row(`onBlockCommitted(${blockTxs} hashes, block txs) on ${total} pooled / ${senderCount} senders`, blockTxs, commitTouched, `dropped ${commitTouched.dropped}`);
const commitSweep = repeated(commitRepeats, () => commitScenario(false));
row(`onBlockCommitted(${blockTxs} hashes only) on ${total} pooled / ${senderCount} senders`, blockTxs, commitSweep, `dropped ${commitSweep.dropped}`);

// 5. At the bound: the pool is full of gapped txs; ready txs of other senders evict them.
function evictionScenario(): Timing & { accepted: number; evicted: number } {
  // The first half of the senders fill the pool with gapped txs (nonces 1..n); the other half
  // arrive with executable txs (nonces 0..9, in order), each of which evicts one gapped tx.
  const half = senderCount / 2;
  const evictionPool = new Mempool({ maxTxs: half * txsPerSender }, freshState(), rules);
  timeAdds(evictionPool, makeTxs(1n).slice(0, half).flat());
  const arrivals = makeTxs()
    .slice(half)
    .flatMap((txs) => txs.slice(0, 10));
  const timing = timeAdds(evictionPool, arrivals);
  return { ...timing, evicted: evictionPool.stats().droppedByCode.MEMPOOL_EVICTED ?? 0 };
}
evictionScenario(); // warm-up: the eviction path is not exercised before
const evicting = repeated(repeats, evictionScenario);
row('add at the bound, each evicting one gapped tx', evicting.accepted, evicting, `evicted: ${evicting.evicted}`);

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`Machine: ${os.cpus().length} CPUs, ${cpu}, Node ${process.version}, ${os.platform()} ${os.arch()}, load average ${os.loadavg()[0].toFixed(1)}`);
console.log(`Pool: ${senderCount} senders × ${txsPerSender} txs = ${total} transfers (${pool.bytes() / pool.size()} bytes each); adds: median of ${repeats} runs by CPU time`);
console.log('');
console.log('| operation | n | wall ms | CPU ms | per s (wall) | per s (CPU) | note |');
console.log('|---|---|---|---|---|---|---|');
for (const line of rows) console.log(line);
