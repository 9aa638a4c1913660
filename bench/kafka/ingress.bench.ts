/**
 * Kafka ingress benchmark: N real Raft validator processes, all consuming `accord.tx` in one
 * group (librdkafka mock cluster), in the same run:
 *   1. REST → committed tx/s: pre-signed transfers posted in batches round-robin to the nodes;
 *   2. Kafka → committed tx/s: the same number of transfers produced to the topic at once;
 *   3. sustained Kafka load at a fixed rate: consumer lag (sum over partitions, sampled from
 *      each node's accord_kafka_consumer_lag_messages) while producing, and time to drain.
 *
 *   npm run build && node --conditions=development --import tsx bench/kafka/ingress.bench.ts \
 *     [--validators 3] [--txs 20000] [--rate 1500] [--seconds 10]
 */
import { performance } from 'node:perf_hooks';
import type { Transaction } from '#chain';
import { AccordClient } from '#sdk';
import { testAccount, transfer } from '../../test/support/chain-fixtures.js';
import { createClusterFiles, startClusterNode, type ClusterNode } from '../../test/support/cluster.js';
import { startKafkaMock } from '../../test/helpers/kafka-mock/index.js';
import { tempDir } from '../../test/support/temp.js';
import { assignedPartitions, connectProducer, produceRecords, testKafka, txRecord, until } from '../../test/kafka/kafka-support.js';
import { describeMachine, percentile } from '../support/machine.js';

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

const VALIDATORS = Number(argument('validators', '3'));
const TXS = Number(argument('txs', '20000'));
const RATE = Number(argument('rate', '1500'));
const SECONDS = Number(argument('seconds', '10'));
const SENDERS = 64;
const BATCH = 250;
const TOPIC = 'accord.tx';

const mock = await startKafkaMock({
  topics: [
    { name: TOPIC, partitions: 3 },
    { name: `${TOPIC}.dlq`, partitions: 1 },
    { name: `${TOPIC}.receipts`, partitions: 3 },
  ],
});
const dir = tempDir('bench-kafka');
const files = await createClusterFiles(dir.path, { validators: VALIDATORS, consensus: 'raft', members: SENDERS + 1, balance: '1000000000000', blockIntervalMs: 25 });
const env = { KAFKA_BROKERS: mock.brokers.join(',') };
const nodes: ClusterNode[] = await Promise.all(files.nodeIds.map((id) => startClusterNode(files, id, env)));
const clients = nodes.map((n) => new AccordClient(n.url, 30_000));
const producer = await connectProducer(testKafka(mock.brokers));
const senders = Array.from({ length: SENDERS }, (_, i) => testAccount(`member-${i}`));
const sink = testAccount(`member-${SENDERS}`);
const nonces = senders.map(() => 0n);
let next = 0;
let refusedByRest = 0;
const restRefusalSample: unknown[] = [];

/** Pre-signs transfers round-robin over the senders (signing is not what we measure). */
function presign(count: number): Transaction[] {
  const txs: Transaction[] = [];
  for (let i = 0; i < count; i++) {
    const s = next++ % SENDERS;
    txs.push(transfer(senders[s], sink, 1n, nonces[s]++));
  }
  return txs;
}

async function committedCount(): Promise<number> {
  const { height } = await clients[0].status();
  let count = 0;
  for (let h = 1; h <= height; h++) count += (await clients[0].getBlock(h)).txHashes.length;
  return count;
}

/** Waits until `target` transactions are committed in total, polling the chain head. */
async function waitCommitted(target: number, from: number): Promise<number> {
  let seenHeight = (await clients[0].status()).height;
  let committed = from;
  for (;;) {
    const { height } = await clients[0].status();
    for (let h = seenHeight + 1; h <= height; h++) committed += (await clients[0].getBlock(h)).txHashes.length;
    seenHeight = height;
    if (committed >= target) return performance.now();
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function totalLag(): Promise<number> {
  let lag = 0;
  for (const node of nodes) {
    const text = await (await fetch(new URL('/metrics', node.url))).text();
    for (const match of text.matchAll(/^accord_kafka_consumer_lag_messages\{[^}]*\} (\d+)$/gm)) lag += Number(match[1]);
  }
  return lag;
}

async function viaRest(txs: Transaction[], before: number): Promise<number> {
  const started = performance.now();
  let cursor = 0;
  const done = waitCommitted(before + txs.length, before);
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      while (cursor < txs.length) {
        const batch = txs.slice(cursor, cursor + BATCH);
        cursor += BATCH;
        const result = await clients[w % clients.length].submitBatch(batch);
        if (result.rejected) {
          refusedByRest += result.rejected;
          if (restRefusalSample.length < 3) restRefusalSample.push(result.results.find((r) => !r.accepted));
        }
      }
    }),
  );
  if (refusedByRest) console.log(`REST refused ${refusedByRest} (${JSON.stringify(restRefusalSample)})`);
  return txs.length / (((await done) - started) / 1000);
}

async function viaKafka(txs: Transaction[], before: number): Promise<{ txPerSecond: number; produceSeconds: number }> {
  const started = performance.now();
  const done = waitCommitted(before + txs.length, before);
  await produceRecords(producer, TOPIC, txs.map(txRecord));
  const produced = performance.now();
  return { txPerSecond: txs.length / (((await done) - started) / 1000), produceSeconds: (produced - started) / 1000 };
}

async function sustained(before: number): Promise<{ lags: number[]; drainSeconds: number; count: number }> {
  const count = RATE * SECONDS;
  const txs = presign(count);
  const lags: number[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      lags.push(await totalLag());
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const done = waitCommitted(before + count, before);
  const started = performance.now();
  // One chunk every 100 ms at the target rate.
  const perTick = Math.max(1, Math.round(RATE / 10));
  for (let i = 0; i < count; i += perTick) {
    await produceRecords(producer, TOPIC, txs.slice(i, i + perTick).map(txRecord));
    const due = started + ((i + perTick) / RATE) * 1000;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const producedAt = performance.now();
  await done;
  const drainSeconds = (performance.now() - producedAt) / 1000;
  sampling = false;
  await sampler;
  return { lags, drainSeconds, count };
}

try {
  // Measure after the group settled: a rebalance pauses consumption for seconds.
  await until('the group shares the 3 partitions', async () => ((await Promise.all(nodes.map((n) => assignedPartitions(n.url)))).reduce((a, b) => a + b, 0) === 3 ? true : undefined), 120_000);
  console.log(`machine: ${describeMachine()}`);
  console.log(`${VALIDATORS} Raft validators, all consuming ${TOPIC} (3 partitions) in one group; ${SENDERS} senders; ${TXS} transfers per phase`);
  const restTxs = presign(TXS);
  const kafkaTxs = presign(TXS);
  const base = await committedCount();
  const rest = await viaRest(restTxs, base);
  console.log(`REST  → committed: ${rest.toFixed(0)} tx/s`);
  const kafka = await viaKafka(kafkaTxs, base + TXS);
  console.log(`Kafka → committed: ${kafka.txPerSecond.toFixed(0)} tx/s (producing took ${kafka.produceSeconds.toFixed(2)} s) = ${((kafka.txPerSecond / rest) * 100).toFixed(0)} % of REST`);
  const load = await sustained(base + 2 * TXS);
  console.log(
    `sustained ${RATE} tx/s for ${SECONDS} s (${load.count} txs): lag p50 ${percentile(load.lags, 50)}, p95 ${percentile(load.lags, 95)}, max ${Math.max(...load.lags)} messages; drained ${load.drainSeconds.toFixed(2)} s after the last produce`,
  );
} finally {
  await producer.disconnect();
  for (const node of nodes) node.process.child.kill('SIGKILL');
  await mock.stop();
  dir.cleanup();
}
