import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka, Producer } from 'kafkajs';
import { formatAddress, Transaction, type ChainError, type TxLimits } from '#chain';
import { AccordClient } from '#sdk';
import { startKafkaMock, type KafkaMock } from '../helpers/kafka-mock/index.js';
import { signTx, testAccount, transfer, type TestAccount } from '../support/chain-fixtures.js';
import { createClusterFiles, startClusterNode, type ClusterFiles, type ClusterNode } from '../support/cluster.js';
import { requireBuild } from '../support/process.js';
import { tempDir } from '../support/temp.js';
import { committedHashes, connectProducer, groupCaughtUp, produceRecords, readTopic, assignedPartitions, testKafka, txRecord, until, type ReadRecord } from './kafka-support.js';

// One Raft cluster of 3 validator processes; validator-2 and validator-3 consume from Kafka in
// one group, validator-1 does not (it still commits every block).
const TX_TOPIC = 'accord.tx';
const DLQ_TOPIC = 'accord.tx.dlq';
const RECEIPTS_TOPIC = 'accord.tx.receipts';
const GROUP = 'accord-validators';
const SENDERS = 16;
const BALANCE = 1_000_000_000n;
const CONSUMERS = ['validator-2', 'validator-3'];

const dir = tempDir('kafka-ingress');
const senders = Array.from({ length: SENDERS }, (_, i) => testAccount(`member-${i}`));
const sink = testAccount(`member-${SENDERS}`);
const nextNonce = new Map<TestAccount, bigint>(senders.map((s) => [s, 0n]));
const nodes = new Map<string, ClusterNode>();
let files: ClusterFiles;
let mock: KafkaMock;
let kafka: Kafka;
let producer: Producer;

/** Everything produced so far and what must become of it. */
const expected = {
  committed: new Set<string>(),
  /** Acceptable DLQ reasons by the record's value (hex): every invalid message must land there. */
  deadLetters: new Map<string, readonly string[]>(),
  /** Receipt status by tx hash. */
  receipts: new Map<string, 'committed' | 'rejected'>(),
  transferred: 0n,
};

function client(nodeId: string): AccordClient {
  const node = nodes.get(nodeId);
  if (!node) throw new Error(`${nodeId} is not running`);
  return new AccordClient(node.url, 20_000);
}

function nodeEnv(nodeId: string): NodeJS.ProcessEnv {
  return CONSUMERS.includes(nodeId) ? { KAFKA_BROKERS: mock.brokers.join(',') } : {};
}

function validTransfer(i: number): Transaction {
  const sender = senders[i % SENDERS];
  const nonce = nextNonce.get(sender) ?? 0n;
  nextNonce.set(sender, nonce + 1n);
  const tx = transfer(sender, sink, 1n + BigInt(i % 3), nonce);
  expected.committed.add(tx.hashHex);
  expected.receipts.set(tx.hashHex, 'committed');
  expected.transferred += 1n + BigInt(i % 3);
  return tx;
}

function limits(): TxLimits {
  return { maxTxBytes: files.genesis.limits.maxTxBytes, maxRecordValueBytes: files.genesis.limits.maxRecordValueBytes };
}

function garbage(i: number): { key: string; value: Uint8Array } {
  const value = new Uint8Array(Buffer.from(`not a transaction #${i}`));
  let reason = 'MALFORMED_TX';
  try {
    Transaction.fromBytes(value, limits());
  } catch (error) {
    reason = (error as ChainError).code;
  }
  expected.deadLetters.set(Buffer.from(value).toString('hex'), [reason]);
  return { key: `garbage-${i}`, value };
}

function refused(tx: Transaction, ...reasons: string[]): { key: string; value: Uint8Array } {
  expected.deadLetters.set(Buffer.from(tx.bytes).toString('hex'), reasons);
  expected.receipts.set(tx.hashHex, 'rejected');
  return txRecord(tx);
}

function badSignature(i: number): { key: string; value: Uint8Array } {
  const sender = senders[i % SENDERS];
  const real = transfer(sender, sink, 7n, 1_000_000n + BigInt(i));
  const other = transfer(sender, sink, 8n, 1_000_000n + BigInt(i));
  return refused(Transaction.fromParts(real.body, other.signature), 'BAD_SIGNATURE');
}

function wrongChain(i: number): { key: string; value: Uint8Array } {
  const sender = senders[i % SENDERS];
  // Signatures cover the chain id, so a node may already refuse the signature for its own chain.
  return refused(signTx(sender, 0n, transfer(sender, sink, BigInt(i + 1), 0n).body.payload, 'another-chain'), 'WRONG_CHAIN_ID', 'BAD_SIGNATURE');
}

/** A different transfer reusing a nonce that already committed. */
function replay(i: number): { key: string; value: Uint8Array } {
  return refused(transfer(senders[i % SENDERS], sink, 999n, BigInt(i % 100)), 'NONCE_REPLAY');
}

function shuffle<T>(items: T[], seed: number): T[] {
  let state = seed;
  for (let i = items.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const j = state % (i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

async function allNoncesReached(nodeId: string): Promise<true | undefined> {
  const accounts = await Promise.all(senders.map((s) => client(nodeId).getAccount(formatAddress(s.address))));
  return accounts.every((a, i) => BigInt(a.nonce) === nextNonce.get(senders[i])) ? true : undefined;
}

/** Waits until the running consumers share all 3 partitions, each holding at least one. */
async function groupSettled(): Promise<void> {
  const consumers = (): ClusterNode[] => CONSUMERS.filter((id) => nodes.has(id)).map((id) => nodes.get(id) as ClusterNode);
  try {
    await until('the consumers share the partitions', async () => {
      const counts = await Promise.all(consumers().map((node) => assignedPartitions(node.url)));
      return counts.every((c) => c > 0) && counts.reduce((a, b) => a + b, 0) === 3 ? true : undefined;
    }, 60_000);
  } catch (error) {
    const counts = await Promise.all(consumers().map(async (node) => `${node.nodeId}=${await assignedPartitions(node.url)}`));
    const outputs = consumers().map((node) => `--- ${node.nodeId}:\n${node.process.output().split('\n').filter((line) => !line.includes('[Nest]')).join('\n').slice(-3000)}`);
    outputs.unshift(`assigned partitions: ${counts.join(', ')}`);
    throw new Error(`${(error as Error).message}\n${outputs.join('\n')}`);
  }
}

async function totalNonces(): Promise<bigint> {
  const accounts = await Promise.all(senders.map((s) => client('validator-1').getAccount(formatAddress(s.address))));
  return accounts.reduce((sum, a) => sum + BigInt(a.nonce), 0n);
}

async function leader(): Promise<string> {
  return until('one leader known to every node', async () => {
    const statuses = await Promise.all([...nodes.keys()].map((id) => client(id).status()));
    const leaders = new Set(statuses.map((s) => s.consensus.leaderId));
    const [only] = [...leaders];
    return leaders.size === 1 && only && nodes.has(only) ? only : undefined;
  });
}

/** Waits until every produced message is done: committed offsets at the end, receipts and DLQ complete. */
async function settled(): Promise<{ dlq: ReadRecord[]; receipts: ReadRecord[] }> {
  await until('every sender nonce on every validator', async () => ((await Promise.all([...nodes.keys()].map(allNoncesReached))).every(Boolean) ? true : undefined), 120_000);
  await until('the group committed every offset', async () => ((await groupCaughtUp(kafka, GROUP, TX_TOPIC)) ? true : undefined), 60_000);
  const dlq = await until('every invalid message in the DLQ', async () => {
    const records = await readTopic(kafka, DLQ_TOPIC);
    return new Set(records.map((r) => r.value.toString('hex'))).size >= expected.deadLetters.size ? records : undefined;
  });
  const receipts = await until('a receipt for every transaction', async () => {
    const records = await readTopic(kafka, RECEIPTS_TOPIC);
    return new Set(records.map((r) => r.key)).size >= expected.receipts.size ? records : undefined;
  });
  return { dlq, receipts };
}

/** Exactly once on every validator: no duplicates, nothing missing, identical ledgers, final balances. */
async function expectExactlyOnce(): Promise<void> {
  const heights = await until('equal heights', async () => {
    const statuses = await Promise.all([...nodes.keys()].map((id) => client(id).status()));
    return statuses.every((s) => s.headHash === statuses[0].headHash) ? statuses : undefined;
  });
  expect(new Set(heights.map((s) => s.stateRoot)).size).toBe(1);
  for (const id of nodes.keys()) {
    const hashes = await committedHashes(client(id));
    expect(hashes.length, `transactions on ${id}`).toBe(new Set(hashes).size);
    expect(new Set(hashes), `committed set on ${id}`).toEqual(expected.committed);
  }
  for (const [i, sender] of senders.entries()) {
    const account = await client('validator-1').getAccount(formatAddress(sender.address));
    expect(BigInt(account.nonce), `nonce of sender ${i}`).toBe(nextNonce.get(sender));
  }
  const sinkAccount = await client('validator-1').getAccount(formatAddress(sink.address));
  expect(BigInt(sinkAccount.balance)).toBe(BALANCE + expected.transferred);
}

function expectDeadLetters(dlq: ReadRecord[]): void {
  const byValue = new Map<string, ReadRecord>();
  for (const record of dlq) byValue.set(record.value.toString('hex'), record);
  expect(byValue.size).toBe(expected.deadLetters.size);
  for (const [value, reasons] of expected.deadLetters) {
    const record = byValue.get(value);
    expect(reasons, `DLQ reason of ${value.slice(0, 24)}`).toContain(record?.headers.reason);
    expect(record?.headers['original-topic']).toBe(TX_TOPIC);
    expect(Number(record?.headers['original-partition'])).toBeGreaterThanOrEqual(0);
    expect(record?.headers['original-offset']).toMatch(/^\d+$/);
    expect(record?.headers.message).toBeTruthy();
  }
}

/** Receipts grouped by key; every transaction has one, and repeats (after a crash) agree. */
function expectReceipts(receipts: ReadRecord[], exactlyOne: boolean): void {
  const byKey = new Map<string, string[]>();
  for (const record of receipts) byKey.set(record.key, [...(byKey.get(record.key) ?? []), record.value.toString()]);
  expect(new Set(byKey.keys())).toEqual(new Set(expected.receipts.keys()));
  for (const [hash, values] of byKey) {
    if (exactlyOne) expect(values, `receipts of ${hash}`).toHaveLength(1);
    expect(new Set(values).size, `receipts of ${hash} agree`).toBe(1);
    const receipt = JSON.parse(values[0]) as { hash: string; status: string; height?: number; index?: number; reason?: string };
    expect(receipt.hash).toBe(hash);
    expect(receipt.status).toBe(expected.receipts.get(hash));
    if (receipt.status === 'committed') expect(receipt.height).toBeGreaterThan(0);
    else expect(receipt.reason).toBeTruthy();
  }
}

beforeAll(async () => {
  requireBuild();
  mock = await startKafkaMock({
    topics: [
      { name: TX_TOPIC, partitions: 3 },
      { name: DLQ_TOPIC, partitions: 1 },
      { name: RECEIPTS_TOPIC, partitions: 3 },
    ],
  });
  kafka = testKafka(mock.brokers);
  producer = await connectProducer(kafka);
  files = await createClusterFiles(dir.path, { validators: 3, consensus: 'raft', members: SENDERS + 1, balance: String(BALANCE) });
  const started = await Promise.all(files.nodeIds.map((id) => startClusterNode(files, id, nodeEnv(id))));
  for (const node of started) nodes.set(node.nodeId, node);
  await leader();
  await groupSettled();
}, 180_000);

afterAll(async () => {
  for (const node of nodes.values()) node.process.child.kill('SIGKILL');
  await producer?.disconnect();
  await mock?.stop();
  dir.cleanup();
});

describe('Kafka ingress: 3 Raft validators, 2 consuming one group over 3 partitions', () => {
  it('10,000 messages: every valid transfer commits exactly once, every invalid one is dead-lettered with its reason, one receipt each', async () => {
    const records: Array<{ key: string; value: Uint8Array }> = [];
    for (let i = 0; i < 9_700; i++) records.push(txRecord(validTransfer(i)));
    for (let i = 0; i < 100; i++) records.push(garbage(i));
    for (let i = 0; i < 100; i++) records.push(badSignature(i));
    for (let i = 0; i < 50; i++) records.push(wrongChain(i));
    // Invalid records are spread among the valid ones; one sender's transfers stay in nonce order.
    const invalid = shuffle(records.splice(9_700), 7);
    const mixed: typeof records = [];
    records.forEach((record, i) => {
      mixed.push(record);
      if (i % 39 === 0 && invalid.length) mixed.push(invalid.pop() as (typeof records)[number]);
    });
    mixed.push(...invalid);
    await produceRecords(producer, TX_TOPIC, mixed);
    await until('the valid transfers committed', () => allNoncesReached('validator-1'), 120_000);
    // Replays need their nonces committed first, or they would race their originals.
    const replays = Array.from({ length: 50 }, (_, i) => replay(i));
    await produceRecords(producer, TX_TOPIC, replays);
    expect(mixed.length + replays.length).toBe(10_000);

    const { dlq, receipts } = await settled();
    await expectExactlyOnce();
    expectDeadLetters(dlq);
    expectReceipts(receipts, true);

    const sampleHash = [...expected.committed][1234];
    const stored = await client('validator-3').getTransaction(sampleHash);
    const receipt = receipts.find((r) => r.key === sampleHash);
    expect(JSON.parse(receipt?.value.toString() ?? '{}')).toEqual({ hash: sampleHash, status: 'committed', height: stored.height, index: stored.index });
    const consumer = nodes.get('validator-2') as ClusterNode;
    const ready = (await (await fetch(new URL('/readyz', consumer.url))).json()) as { checks: Record<string, string> };
    expect(ready.checks.kafka).toBe('ok');
    const metrics = await (await fetch(new URL('/metrics', consumer.url))).text();
    expect(metrics).toMatch(/accord_kafka_consumer_lag_messages\{topic="accord.tx",partition="\d"\} 0/);
    expect(metrics).toContain('accord_kafka_consumer_connected 1');
  }, 300_000);

  it('kill -9 a consuming validator halfway through a second batch: after rebalance and restart, still exactly once', async () => {
    const current = await leader();
    const victimId = CONSUMERS.find((id) => id !== current) as string;
    const noncesBefore = await totalNonces();
    const records: Array<{ key: string; value: Uint8Array }> = [];
    for (let i = 0; i < 3_000; i++) records.push(txRecord(validTransfer(i)));
    for (let i = 0; i < 20; i++) records.splice(i * 150, 0, i % 2 ? garbage(1_000 + i) : badSignature(1_000 + i));
    // The kill comes between the two halves, so it is always in the middle of the batch.
    await produceRecords(producer, TX_TOPIC, records.slice(0, 1_510));
    await until('part of the first half committed', async () => ((await totalNonces()) >= noncesBefore + 500n ? true : undefined), 120_000, 50);
    expect(await assignedPartitions(nodes.get(victimId)?.url ?? '')).toBeGreaterThan(0);
    const victim = nodes.get(victimId) as ClusterNode;
    victim.process.child.kill('SIGKILL');
    await victim.process.exited;
    nodes.delete(victimId);
    await produceRecords(producer, TX_TOPIC, records.slice(1_510));
    // The survivor takes the victim's partitions once its session expires.
    await until('the rest committed by the surviving consumer', () => allNoncesReached('validator-1'), 180_000);
    nodes.set(victimId, await startClusterNode(files, victimId, nodeEnv(victimId)));
    await groupSettled();

    const { dlq, receipts } = await settled();
    await expectExactlyOnce();
    expectDeadLetters(dlq);
    // A crash between a block's commit and its receipt's acknowledgement repeats the receipt (same key, same value).
    expectReceipts(receipts, false);
  }, 400_000);

  it('the same transaction via REST and via Kafka commits once, and Kafka still gets its receipt', async () => {
    const restFirst = validTransfer(0);
    const committed = await client('validator-1').submit(restFirst, { wait: true, waitTimeoutMs: 20_000 });
    expect(committed.status).toBe('committed');
    const both = validTransfer(1);
    await Promise.all([produceRecords(producer, TX_TOPIC, [txRecord(restFirst), txRecord(both)]), client('validator-2').submit(both)]);

    const { receipts } = await settled();
    await expectExactlyOnce();
    expectReceipts(receipts, false);
    const receiptOf = (hash: string): unknown => JSON.parse(receipts.find((r) => r.key === hash)?.value.toString() ?? '{}');
    expect(receiptOf(restFirst.hashHex)).toEqual({ hash: restFirst.hashHex, status: 'committed', height: committed.height, index: committed.index });
    expect(receiptOf(both.hashHex)).toMatchObject({ hash: both.hashHex, status: 'committed' });
  }, 200_000);
});
