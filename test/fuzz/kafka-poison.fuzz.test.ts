import fc from 'fast-check';
import type { IHeaders, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex, Transaction, type ChainError, type TxLimits } from '#chain';
import { AccordClient } from '#sdk';
import { startValidator, type RunningValidator } from '../../apps/validator/src/main.js';
import { startKafkaMock, type KafkaMock } from '../helpers/kafka-mock/index.js';
import { committedHashes, connectProducer, groupCaughtUp, readTopic, testKafka, until, type ReadRecord } from '../kafka/kafka-support.js';
import { signTx, testAccount, testGenesis, transfer } from '../support/chain-fixtures.js';
import { tempDir } from '../support/temp.js';
import { fuzzRuns, seedFor } from './support/fuzz-config.js';
import { flipByte } from './support/tx-samples.js';

// Poison messages interleaved with valid transactions on the Kafka ingress of a solo validator:
// every poison message must reach the DLQ with a reason, every valid transaction commit exactly
// once, and the consumer keep going (no crash, no stall, committed offsets at the end).
const TX_TOPIC = 'accord.tx';
const DLQ_TOPIC = 'accord.tx.dlq';
const RECEIPTS_TOPIC = 'accord.tx.receipts';
const GROUP = 'accord-validators';
const POISON = fuzzRuns(150);
const SENDERS = 8;

const genesis = testGenesis({ members: SENDERS + 1, balance: 1_000_000_000n });
const senders = Array.from({ length: SENDERS }, (_, i) => testAccount(`member-${i}`));
const sink = testAccount(`member-${SENDERS}`);
const limits: TxLimits = { maxTxBytes: genesis.limits.maxTxBytes, maxRecordValueBytes: genesis.limits.maxRecordValueBytes };
const nonces = senders.map(() => 0n);
const dir = tempDir('kafka-poison');
const problems: string[] = [];
let mock: KafkaMock;
let validator: RunningValidator;
let producer: Producer;

interface Message {
  key: string | null;
  value: Buffer | null;
  headers?: IHeaders;
}

/** What each poison message is, by identity (key and value), and the reasons it may be dead-lettered for. */
const poisonReasons = new Map<string, readonly string[]>();
const validHashes = new Set<string>();
const identity = (key: string | Buffer | null, value: Buffer | null): string => `${key === null ? '∅' : key.toString()}|${value === null ? '∅' : value.toString('hex')}`;

function nextValid(): Transaction {
  const i = validHashes.size % SENDERS;
  const tx = transfer(senders[i], sink, 1n, nonces[i]);
  nonces[i] += 1n;
  validHashes.add(tx.hashHex);
  return tx;
}

/** The code admission gives raw bytes that do not decode (the expected DLQ reason). */
function decodeCode(bytes: Uint8Array): string {
  try {
    Transaction.fromBytes(bytes, limits);
  } catch (error) {
    return (error as ChainError).code;
  }
  throw new Error('poison that decodes: pick another');
}

const junkHeaders: IHeaders = { '': '', 'content-type': 'application/json', 'x-\u00ff': Buffer.from([0, 255, 0]), reason: 'FORGED', 'original-offset': '-1' };

/** One poison message of each kind, the index making every identity unique. */
function poison(kind: number, i: number, bytes: Uint8Array): Message & { reasons: readonly string[] } {
  const sender = senders[i % SENDERS];
  const valid = transfer(sender, sink, 5n, 10_000n + BigInt(i));
  switch (kind % 11) {
    case 0:
      return { key: `empty-${i}`, value: Buffer.alloc(0), reasons: [decodeCode(new Uint8Array(0))] };
    case 1:
      return { key: `null-${i}`, value: null, reasons: [decodeCode(new Uint8Array(0))] };
    case 2:
      return { key: `huge-${i}`, value: Buffer.alloc(limits.maxTxBytes * 8 + i, i), reasons: ['TX_TOO_LARGE'] };
    case 3:
      return { key: null, value: Buffer.concat([Buffer.from(`${i}:`), bytes]), reasons: [decodeCode(Buffer.concat([Buffer.from(`${i}:`), bytes]))] };
    case 4:
      return { key: `bad-signature-${i}`, value: Buffer.from(Transaction.fromParts(valid.body, transfer(sender, sink, 6n, 0n).signature).bytes), reasons: ['BAD_SIGNATURE'] };
    case 5:
      // The signature covers the chain id, so it may be refused for either.
      return { key: `wrong-chain-${i}`, value: Buffer.from(signTx(sender, 10_000n + BigInt(i), valid.body.payload, `other-chain-${i}`).bytes), reasons: ['WRONG_CHAIN_ID', 'BAD_SIGNATURE'] };
    case 6:
      // Hex text of a valid transaction instead of its bytes.
      return { key: `hex-${i}`, value: Buffer.from(toHex(valid.bytes)), reasons: [decodeCode(Buffer.from(toHex(valid.bytes)))] };
    case 7:
      return { key: `base64-${i}`, value: Buffer.from(Buffer.from(valid.bytes).toString('base64')), reasons: [decodeCode(Buffer.from(Buffer.from(valid.bytes).toString('base64')))] };
    case 8: {
      const damaged = flipByte(valid.bytes, bytes.length + i, (bytes[0] ?? 0) | 1);
      let reasons: readonly string[];
      try {
        Transaction.fromBytes(damaged, limits);
        reasons = ['BAD_SIGNATURE', 'WRONG_CHAIN_ID', 'NOT_A_MEMBER', 'AMOUNT_OVER_LIMIT', 'BAD_ADDRESS', 'SELF_TRANSFER', 'INSUFFICIENT_BALANCE', 'NONCE_REPLAY'];
      } catch (error) {
        reasons = [(error as ChainError).code];
      }
      return { key: `damaged-${i}`, value: Buffer.from(damaged), reasons };
    }
    case 9:
      return { key: `headers-${i}`, value: Buffer.concat([Buffer.from([0x0a, 0xff]), bytes]), headers: junkHeaders, reasons: [decodeCode(Buffer.concat([Buffer.from([0x0a, 0xff]), bytes]))] };
    default:
      // A valid transaction with its signature in hex after the binary body: binary and text mixed.
      return { key: `mixed-${i}`, value: Buffer.concat([Buffer.from(valid.bytes), Buffer.from(toHex(valid.signature))]), reasons: [decodeCode(Buffer.concat([Buffer.from(valid.bytes), Buffer.from(toHex(valid.signature))]))] };
  }
}

/** POISON poison messages, one valid transaction after every other one, and duplicates of some valid ones. */
function messages(): Message[] {
  const random = fc.sample(fc.tuple(fc.nat(), fc.uint8Array({ maxLength: 200 })), { seed: seedFor('kafka:poison'), numRuns: POISON });
  const out: Message[] = [];
  random.forEach(([kind, bytes], i) => {
    const message = poison(kind + i, i, bytes);
    poisonReasons.set(identity(message.key, message.value), message.reasons);
    out.push({ key: message.key, value: message.value, headers: message.headers });
    if (i % 2 === 0) {
      const tx = nextValid();
      const record = { key: toHex(tx.senderAddress), value: Buffer.from(tx.bytes) };
      out.push(record);
      // The same transaction again (same key, same value), and a valid one under junk headers.
      if (i % 10 === 0) out.push(record);
      if (i % 14 === 0) {
        const other = nextValid();
        out.push({ key: toHex(other.senderAddress), value: Buffer.from(other.bytes), headers: junkHeaders });
      }
    }
  });
  return out;
}

beforeAll(async () => {
  mock = await startKafkaMock({ topics: [{ name: TX_TOPIC, partitions: 2 }, { name: DLQ_TOPIC, partitions: 1 }, { name: RECEIPTS_TOPIC, partitions: 2 }] });
  validator = await startValidator(
    { nodeId: 'solo-1', genesis, dataDir: dir.path, host: '127.0.0.1', port: 0, maxBodyBytes: 2 * 1024 * 1024, revocationPollMs: 5000, kafkaBrokers: mock.brokers },
    { quiet: true, logger: { info: () => undefined, warn: (m) => problems.push(`warn: ${m}`), error: (m) => problems.push(`error: ${m}`) } },
  );
  producer = await connectProducer(testKafka(mock.brokers));
}, 120_000);

afterAll(async () => {
  await producer?.disconnect();
  await validator?.close();
  await mock?.stop();
  dir.cleanup();
});

describe(`Kafka ingress under poison messages (${POISON} poison messages)`, () => {
  it('dead-letters every poison message with its reason, commits every valid transaction once, and keeps consuming', async () => {
    const kafka = testKafka(mock.brokers);
    const produced = messages();
    for (let i = 0; i < produced.length; i += 50) await producer.send({ topic: TX_TOPIC, acks: -1, messages: produced.slice(i, i + 50) });
    const client = new AccordClient(validator.url);

    await until('every valid transaction committed', async () => {
      const committed = new Set(await committedHashes(client));
      return [...validHashes].every((hash) => committed.has(hash)) ? true : undefined;
    }, 120_000);
    const dlq = await until('every poison message in the DLQ', async () => {
      const records = await readTopic(kafka, DLQ_TOPIC);
      return records.length >= poisonReasons.size ? records : undefined;
    }, 120_000);
    await until('the group committed every offset', async () => ((await groupCaughtUp(kafka, GROUP, TX_TOPIC)) ? true : undefined), 60_000);

    // Exactly once: each valid transaction in exactly one block, nothing else committed.
    const hashes = await committedHashes(client);
    expect(hashes.length).toBe(new Set(hashes).size);
    expect(new Set(hashes)).toEqual(validHashes);

    expectDeadLetters(dlq);

    // Still consuming after all that: a fresh transaction commits, the consumer never crashed.
    const late = nextValid();
    await producer.send({ topic: TX_TOPIC, acks: -1, messages: [{ key: toHex(late.senderAddress), value: Buffer.from(late.bytes) }] });
    await until('a transaction produced after the poison commits', async () => ((await committedHashes(client)).includes(late.hashHex) ? true : undefined), 60_000);
    expect(validator.node.kafka?.isConnected()).toBe(true);
    expect(problems.filter((p) => /crash|restart failed|assignment failed/i.test(p))).toEqual([]);
  }, 300_000);
});

function expectDeadLetters(dlq: ReadRecord[]): void {
  const seen = new Map<string, ReadRecord>();
  for (const record of dlq) {
    const id = identity(record.key === '' ? null : record.key, record.value.length === 0 && record.key.startsWith('null-') ? null : record.value);
    expect(seen.has(id), `dead-lettered twice: ${id.slice(0, 80)}`).toBe(false);
    seen.set(id, record);
  }
  expect([...seen.keys()].filter((id) => !poisonReasons.has(id)).map((id) => id.slice(0, 80)), 'DLQ records that are not poison').toEqual([]);
  for (const [id, reasons] of poisonReasons) {
    const record = seen.get(id);
    expect(record, `poison message not dead-lettered: ${id.slice(0, 80)}`).toBeDefined();
    expect(reasons, `DLQ reason of ${id.slice(0, 60)}`).toContain(record?.headers.reason);
    expect(record?.headers['original-topic']).toBe(TX_TOPIC);
    expect(record?.headers['original-offset']).toMatch(/^\d+$/);
    expect(record?.headers.message).toBeTruthy();
  }
}
