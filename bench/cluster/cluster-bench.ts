/**
 * Cluster benchmark: N real validator processes (Raft by default) on this machine, signed
 * transfers over REST or Kafka, ledgers on SQLite or Postgres.
 *   1. saturation: closed-loop batches from many workers → committed tx/s;
 *   2. finality at half that load (open loop): submit → committed latency p50/p95/p99;
 *   3. leader failover: kill -9 the leader → first new commit, over N trials.
 * Also CPU and RSS per validator, and the signature-verify ceiling of this machine, all in the
 * same run. Then a regression check against the last recorded result of the same
 * configuration (exit 1 when committed tx/s or p99 finality is more than 10 % worse).
 *
 *   npm run build && node --conditions=development --import tsx bench/cluster/cluster-bench.ts \
 *     [--validators 4] [--consensus raft|pbft] [--database sqlite|postgres] [--ingress rest|kafka] \
 *     [--seconds 10] [--failovers 20] [--json out.json] [--compare last.json | --no-compare] [--record]
 * The last result defaults to bench/cluster/last-<consensus>[-<database>][-<ingress>].json;
 * --record replaces it with this run's.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Transaction } from '#chain';
import { AccordClient } from '#sdk';
import { testAccount, transfer } from '../../test/support/chain-fixtures.js';
import { createClusterFiles, startClusterNode, type ClusterNode } from '../../test/support/cluster.js';
import { dropSchema, requirePostgres } from '../../test/support/postgres.js';
import { TEST_POSTGRES_URL, tempDir, uniqueSchema } from '../../test/support/temp.js';
import { argument } from '../support/bench-chain.js';
import { describeMachine, percentile } from '../support/machine.js';
import { kafkaIngress, kafkaPartitions, restIngress, startBenchKafka, waitForKafkaGroup, type Ingress } from './ingress.js';
import { compareResults, defaultLastPath, formatComparison, MARKDOWN_HEADER, markdownRow, type ClusterBenchResult } from './regression.js';
import { measureVerifyRate } from './verify-ceiling.js';

function choice<T extends string>(name: string, options: readonly T[]): T {
  const value = argument(name, options[0]);
  if (!options.includes(value as T)) throw new Error(`--${name} must be one of ${options.join(', ')}, not ${value}`);
  return value as T;
}

const VALIDATORS = Number(argument('validators', '4'));
const CONSENSUS = choice('consensus', ['raft', 'pbft'] as const);
const DATABASE = choice('database', ['sqlite', 'postgres'] as const);
const INGRESS = choice('ingress', ['rest', 'kafka'] as const);
const SECONDS = Number(argument('seconds', '10'));
const FAILOVERS = Number(argument('failovers', '20'));
const LAST_PATH = argument('compare', defaultLastPath({ consensus: CONSENSUS, validators: VALIDATORS, database: DATABASE, ingress: INGRESS }));
const SENDERS = 64;
const log = (message: string): boolean => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const BATCH = 250;
const MAX_OUTSTANDING = 8000;

const loadAtStart = Number(loadavg()[0].toFixed(1));
const dir = tempDir('bench-cluster');
const files = await createClusterFiles(dir.path, { validators: VALIDATORS, consensus: CONSENSUS, members: 2 * SENDERS + 1 + FAILOVERS, balance: '1000000000000', blockIntervalMs: 25 });
if (DATABASE === 'postgres') await requirePostgres();
const kafka = INGRESS === 'kafka' ? await startBenchKafka(kafkaPartitions(VALIDATORS)) : undefined;
const runId = uniqueSchema('bench');
const schemaOf = (nodeId: string): string => `${runId}_${nodeId.replace(/-/g, '_')}`;
/** One Postgres schema per validator; every validator consumes the Kafka topic in one group. */
function envFor(nodeId: string): NodeJS.ProcessEnv {
  return {
    ...(DATABASE === 'postgres' ? { DATABASE_URL: TEST_POSTGRES_URL, DATABASE_SCHEMA: schemaOf(nodeId) } : {}),
    ...(kafka ? { KAFKA_BROKERS: kafka.brokers.join(',') } : {}),
  };
}
const nodes = new Map<string, ClusterNode>();
/** On a fatal error: show the validators' output, and leave no validator or broker running. */
function abort(error: unknown): never {
  for (const node of nodes.values()) {
    console.error(`--- ${node.nodeId} (exit ${node.process.child.exitCode}) output ---\n${node.process.output().slice(-3000)}`);
    node.process.child.kill('SIGKILL');
  }
  void kafka?.stop();
  console.error(error);
  process.exit(1);
}
process.on('uncaughtException', abort);
process.on('unhandledRejection', abort);
try {
  if (kafka) {
    // One at a time: validators joining the consumer group together keep it rebalancing, and a
    // validator serves REST only once its consumer has joined.
    for (const id of files.nodeIds) nodes.set(id, await startClusterNode(files, id, envFor(id)));
  } else {
    const started = await Promise.allSettled(files.nodeIds.map((id) => startClusterNode(files, id, envFor(id))));
    for (const outcome of started) if (outcome.status === 'fulfilled') nodes.set(outcome.value.nodeId, outcome.value);
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  }
} catch (error) {
  abort(error);
}
const sink = testAccount(`member-${SENDERS}`);
/** Two groups of senders: the saturation phase may leave unsubmitted nonces behind in its group. */
const groups = [0, 1].map((g) => ({
  senders: Array.from({ length: SENDERS }, (_, i) => testAccount(`member-${g === 0 ? i : SENDERS + 1 + FAILOVERS + i}`)),
  nonces: Array.from({ length: SENDERS }, () => 0n),
  next: 0,
}));

function clients(): AccordClient[] {
  return [...nodes.values()].map((n) => new AccordClient(n.url, 30_000));
}

/** Pre-signs `count` transfers round-robin over a group's senders (signing is not what we measure). */
function presign(count: number, group = 0): Transaction[] {
  const g = groups[group];
  const txs: Transaction[] = [];
  for (let i = 0; i < count; i++) {
    const s = g.next++ % SENDERS;
    txs.push(transfer(g.senders[s], sink, 1n, g.nonces[s]++));
  }
  return txs;
}

async function leaderId(): Promise<string> {
  for (;;) {
    try {
      const statuses = await Promise.all(clients().map((c) => c.status()));
      const ids = new Set(statuses.map((s) => s.consensus.leaderId));
      const [id] = [...ids];
      if (ids.size === 1 && id && nodes.has(id)) return id;
    } catch {
      // a node is restarting
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function height(client: AccordClient): Promise<number> {
  return (await client.status()).height;
}

/** Follows committed blocks on one node, calling back with each block's tx hashes. */
function followBlocks(client: AccordClient, onBlock: (hashes: string[], atMs: number) => void): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    let seen = await height(client);
    while (running) {
      const head = await height(client).catch(() => seen);
      for (let h = seen + 1; h <= head; h++) {
        const block = await client.getBlock(h);
        onBlock(block.txHashes, performance.now());
      }
      seen = head;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

function usage(pid: number): { cpuSeconds: number; rssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rssPages = Number(stat[21]);
  return { cpuSeconds: ticks / 100, rssMiB: (rssPages * 4096) / 2 ** 20 };
}

async function saturation(ingress: Ingress, pool: Transaction[]): Promise<{ txPerSecond: number; committed: number }> {
  const all = clients();
  let committed = 0;
  const stop = followBlocks(all[0], (hashes) => {
    committed += hashes.length;
  });
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  let cursor = 0;
  let accepted = 0;
  const refusals = new Map<string, number>();
  // Workers keep a bounded number of batches in flight: enough to saturate, not to flood.
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      while (performance.now() < deadline && cursor < pool.length) {
        // Closed loop: keep a bounded backlog (a few blocks' worth) instead of flooding the
        // pools, so the figure is the sustained commit rate and later phases start drained.
        while (accepted - committed > MAX_OUTSTANDING && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        const batch = pool.slice(cursor, cursor + BATCH);
        cursor += BATCH;
        const result = await ingress.submit(batch, w);
        accepted += result.accepted;
        for (const [code, count] of result.refusals) refusals.set(code, (refusals.get(code) ?? 0) + count);
      }
    }),
  );
  log(`admitted ${accepted}; refused ${JSON.stringify(Object.fromEntries(refusals))}`);
  // Measure to the last commit of what was admitted: the pipeline drains after submission stops.
  let lastCommitAt = performance.now();
  let lastCommitted = committed;
  while (performance.now() - lastCommitAt < 3000) {
    await new Promise((r) => setTimeout(r, 100));
    if (committed !== lastCommitted) {
      lastCommitted = committed;
      lastCommitAt = performance.now();
    }
  }
  await stop();
  // Committed is counted on the first validator: a lagging one would show here as a low rate.
  const heights = await Promise.all(all.map((c) => height(c).catch(() => -1)));
  log(`heights after saturation: ${[...nodes.keys()].map((id, i) => `${id} ${heights[i]}`).join(', ')}`);
  const elapsedS = (lastCommitAt - started) / 1000;
  return { txPerSecond: committed / elapsedS, committed };
}

async function finality(ingress: Ingress, ratePerSecond: number): Promise<{ p50: number; p95: number; p99: number; samples: number }> {
  const all = clients();
  const submitted = new Map<string, number>();
  const latencies: number[] = [];
  const stop = followBlocks(all[0], (hashes, at) => {
    for (const hash of hashes) {
      const t = submitted.get(hash);
      if (t !== undefined) latencies.push(at - t);
    }
  });
  const tickMs = 20;
  const perTick = Math.max(1, Math.round((ratePerSecond * tickMs) / 1000));
  // Signed before the clock starts: signing in the loop would steal CPU from the validators.
  const ticks = Math.ceil((SECONDS * 1000) / tickMs);
  const batches = Array.from({ length: ticks }, () => presign(perTick, 1));
  const started = performance.now();
  let k = 0;
  while (performance.now() - started < SECONDS * 1000 && k < batches.length) {
    const batch = batches[k];
    const at = performance.now();
    for (const tx of batch) submitted.set(tx.hashHex, at);
    void ingress.submit(batch, k++);
    const wait = started + k * tickMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await new Promise((r) => setTimeout(r, 2000));
  await stop();
  return { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), samples: latencies.length };
}

async function failover(trials: number): Promise<number[]> {
  const times: number[] = [];
  for (let t = 0; t < trials; t++) {
    const leader = await leaderId();
    const victim = nodes.get(leader) as ClusterNode;
    const survivors = [...nodes.values()].filter((n) => n !== victim).map((n) => new AccordClient(n.url));
    const before = await height(survivors[0]);
    victim.process.child.kill('SIGKILL');
    const killedAt = performance.now();
    nodes.delete(leader);
    // A trickle of transfers from a sender with no backlog (whose nonces the dead leader may
    // have held), so that the new leader has something it can commit.
    const fresh = testAccount(`member-${SENDERS + 1 + t}`);
    let freshNonce = 0n;
    let committedAt: number | undefined;
    while (committedAt === undefined) {
      await Promise.all(survivors.map((c) => c.submit(transfer(fresh, sink, 1n, freshNonce)).catch(() => undefined)));
      freshNonce++;
      if ((await height(survivors[0]).catch(() => before)) > before) committedAt = performance.now();
      else await new Promise((r) => setTimeout(r, 10));
    }
    times.push(committedAt - killedAt);
    await victim.process.exited;
    nodes.set(leader, await startClusterNode(files, leader, envFor(leader)));
    // Let it catch up before the next trial.
    const target = await height(survivors[0]);
    while ((await height(new AccordClient(nodes.get(leader)!.url)).catch(() => 0)) < target) await new Promise((r) => setTimeout(r, 50));
  }
  return times;
}

// Any failure while measuring still stops every validator and the broker.
const { verifyPerCore, sat, half, resources, failovers } = await (async () => {
  log('measuring verify rate');
  const verifyPerCore = measureVerifyRate(1000);
  log('pre-signing');
  const saturationPool = presign(Math.max(20_000, SECONDS * 6000));
  await leaderId();
  if (kafka) await waitForKafkaGroup(() => [...nodes.values()].map((n) => n.url), kafkaPartitions(VALIDATORS));
  const ingress = INGRESS === 'kafka' && kafka ? await kafkaIngress(kafka.brokers) : restIngress(clients);
  log(`saturation (${INGRESS} ingress, ${DATABASE})`);
  const sat = await saturation(ingress, saturationPool);
  log(`saturation ${Math.round(sat.txPerSecond)} tx/s; finality at half load`);
  const half = await finality(ingress, sat.txPerSecond / 2);
  log('failover trials');
  const resources = [...nodes.values()].map((n) => ({ nodeId: n.nodeId, ...usage(n.process.child.pid as number) }));
  const failovers = FAILOVERS > 0 ? await failover(FAILOVERS) : [];
  await ingress.close();
  return { verifyPerCore, sat, half, resources, failovers };
})().catch(abort);
for (const node of nodes.values()) node.process.child.kill('SIGKILL');
await Promise.all([...nodes.values()].map((n) => n.process.exited));
await kafka?.stop();
if (DATABASE === 'postgres') for (const id of files.nodeIds) await dropSchema(schemaOf(id));
dir.cleanup();

/** Each transaction is verified once per validator (at admission or, if it came in a block, then). */
const verifiersPerTx = VALIDATORS;
const result: ClusterBenchResult = {
  machine: describeMachine(),
  command: `node --conditions=development --import tsx bench/cluster/cluster-bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
  validators: VALIDATORS,
  consensus: CONSENSUS,
  database: DATABASE,
  ingress: INGRESS,
  saturationTxPerSecond: Math.round(sat.txPerSecond),
  finalityAtHalfLoadMs: { p50: Math.round(half.p50), p95: Math.round(half.p95), p99: Math.round(half.p99), samples: half.samples },
  failoverMs: failovers.length ? { median: Math.round(percentile(failovers, 50)), p95: Math.round(percentile(failovers, 95)), max: Math.round(Math.max(...failovers)), trials: failovers.length } : undefined,
  perValidator: resources.map((r) => ({ nodeId: r.nodeId, cpuSeconds: Number(r.cpuSeconds.toFixed(1)), rssMiB: Math.round(r.rssMiB) })),
  verifyCeilingTxPerSecond: Math.round((verifyPerCore * cpus().length) / verifiersPerTx),
  verifyCeiling: { perCorePerSecond: Math.round(verifyPerCore), cores: cpus().length, verifiersPerTx },
  loadAverage: { start: loadAtStart, end: Number(loadavg()[0].toFixed(1)) },
  recordedAt: new Date().toISOString(),
};
console.log(JSON.stringify(result, null, 2));
console.log(`\n${MARKDOWN_HEADER}\n${markdownRow(result)}\n`);
const out = argument('json', '');
if (out) writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);

let regressed = false;
if (!process.argv.includes('--no-compare')) {
  if (existsSync(LAST_PATH)) {
    const previous = JSON.parse(readFileSync(LAST_PATH, 'utf8')) as ClusterBenchResult;
    const comparison = compareResults(previous, result);
    console.log(formatComparison(comparison, LAST_PATH, { previous: previous.loadAverage, current: result.loadAverage }));
    regressed = comparison.regressed;
  } else {
    console.log(`no last result at ${LAST_PATH}: nothing to compare (--record stores this one)`);
  }
}
if (process.argv.includes('--record')) {
  writeFileSync(LAST_PATH, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`recorded as ${LAST_PATH}`);
}
process.exitCode = regressed ? 1 : 0;
