import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type KafkaMessage, type Producer } from 'kafkajs';
import { toHex, type Transaction } from '#chain';
import { AccordClient } from '#sdk';

/** A consumed record with its origin. */
export interface ReadRecord {
  partition: number;
  offset: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/** A Kafka client for tests (quiet). */
export function testKafka(brokers: string[]): Kafka {
  return new Kafka({ clientId: `test-${randomUUID()}`, brokers, logLevel: logLevel.NOTHING });
}

/** A connected producer using the Java client's partitioner (murmur2 of the key). */
export async function connectProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  return producer;
}

/** Produces signed transactions keyed by sender address, in chunks. */
export async function produceRecords(producer: Producer, topic: string, records: ReadonlyArray<{ key: string; value: Uint8Array }>): Promise<void> {
  for (let i = 0; i < records.length; i += 1000) {
    await producer.send({ topic, acks: -1, messages: records.slice(i, i + 1000).map((r) => ({ key: r.key, value: Buffer.from(r.value) })) });
  }
}

/** The record of a signed transaction: key = sender address. */
export function txRecord(tx: Transaction): { key: string; value: Uint8Array } {
  return { key: toHex(tx.senderAddress), value: tx.bytes };
}

/** Reads a whole topic (up to its current high watermarks) with a throwaway consumer group. */
export async function readTopic(kafka: Kafka, topic: string): Promise<ReadRecord[]> {
  const admin = kafka.admin();
  await admin.connect();
  const highs = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(highs.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high) - 1n]));
  if (remaining.size === 0) return [];
  const records: ReadRecord[] = [];
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ partition, message }: { partition: number; message: KafkaMessage }) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
          records.push({ partition, offset: message.offset, key: message.key?.toString() ?? '', value: message.value ?? Buffer.alloc(0), headers });
          const last = remaining.get(partition);
          if (last !== undefined && BigInt(message.offset) >= last) remaining.delete(partition);
          if (remaining.size === 0) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return records;
}

/** Whether the group's committed offsets reached every partition's high watermark. */
export async function groupCaughtUp(kafka: Kafka, groupId: string, topic: string): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const highs = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const byPartition = new Map(committed.partitions.map((p) => [p.partition, p.offset]));
    return highs.every((p) => byPartition.get(p.partition) === p.high);
  } finally {
    await admin.disconnect();
  }
}

/** Partitions a validator reports it consumes (its `accord_kafka_assigned_partitions` gauge). */
export async function assignedPartitions(url: string): Promise<number> {
  const metrics = await (await fetch(new URL('/metrics', url))).text();
  const match = metrics.match(/^accord_kafka_assigned_partitions (\d+)$/m);
  return match ? Number(match[1]) : 0;
}

/** Every transaction hash in every block of a validator, in chain order. */
export async function committedHashes(client: AccordClient): Promise<string[]> {
  const { height } = await client.status();
  const hashes: string[] = [];
  for (let from = 1; from <= height; from += 20) {
    const blocks = await Promise.all(Array.from({ length: Math.min(20, height - from + 1) }, (_, i) => client.getBlock(from + i)));
    for (const block of blocks) hashes.push(...block.txHashes);
  }
  return hashes;
}

/** Polls `probe` until it returns a value (not undefined). */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
