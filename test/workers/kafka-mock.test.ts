import { Kafka, logLevel, type Consumer, type EachMessagePayload } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaMock, type KafkaMock } from '../helpers/kafka-mock/index.js';

const TOPIC = 'accord.txs';
const MESSAGE_COUNT = 1_000;
const MEMBERS = 2;

/**
 * Starts a two-member consumer group and resolves once its assignment is stable (disjoint,
 * covering all 3 partitions), before anything is produced, so no rebalance can legitimately
 * redeliver a message. Both members join together to land in the group's first generation:
 * the librdkafka 2.0 mock sometimes answers a kafkajs SyncGroup during a later rebalance with
 * INVALID_REQUEST, crashing that member; the group is then formed again under a new id.
 */
async function formGroup(kafka: Kafka, onMessage: (consumer: Consumer, payload: EachMessagePayload) => Promise<void>): Promise<{ groupId: string; consumers: Consumer[] }> {
  for (let attempt = 1; ; attempt++) {
    const groupId = `accord-test-group-${attempt}`;
    const consumers = Array.from({ length: MEMBERS }, () => kafka.consumer({ groupId, sessionTimeout: 30_000, rebalanceTimeout: 10_000, heartbeatInterval: 500 }));
    const assignments: number[][] = consumers.map(() => []);
    const outcome = new Promise<'stable' | 'crashed'>((resolve) => {
      consumers.forEach((consumer, member) => {
        consumer.on(consumer.events.CRASH, () => resolve('crashed'));
        consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
          assignments[member] = payload.memberAssignment[TOPIC] ?? [];
          const all = assignments.flat();
          if (assignments.every((partitions) => partitions.length > 0) && all.length === 3 && new Set(all).size === 3) resolve('stable');
        });
      });
    });
    for (const consumer of consumers) {
      await consumer.connect();
      await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    }
    await Promise.all(consumers.map((consumer) => consumer.run({ autoCommit: false, eachMessage: (payload) => onMessage(consumer, payload) })));
    if ((await outcome) === 'stable') return { groupId, consumers };
    await Promise.all(consumers.map((consumer) => consumer.disconnect()));
    if (attempt === 3) throw new Error('the consumer group never became stable on the Kafka mock');
  }
}

describe('librdkafka mock broker helper', () => {
  let mock: KafkaMock;

  beforeAll(async () => {
    mock = await startKafkaMock({ topics: [{ name: TOPIC, partitions: 3 }] });
  });

  afterAll(async () => {
    await mock?.stop();
  });

  it('carries 1,000 messages over 3 partitions to a two-member consumer group exactly once with manual commits', { timeout: 180_000 }, async () => {
    const kafka = new Kafka({ clientId: 'kafka-mock-test', brokers: mock.brokers, logLevel: logLevel.NOTHING });
    const seen = new Map<string, number>();
    let done!: () => void;
    const allSeen = new Promise<void>((resolve) => (done = resolve));
    const { groupId, consumers } = await formGroup(kafka, async (consumer, { topic, partition, message }) => {
      const value = message.value?.toString() ?? '';
      seen.set(value, (seen.get(value) ?? 0) + 1);
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      if (seen.size === MESSAGE_COUNT) done();
    });

    const producer = kafka.producer();
    await producer.connect();
    const messages = Array.from({ length: MESSAGE_COUNT }, (_, i) => ({ key: `key-${i}`, value: `message-${i}` }));
    for (let start = 0; start < MESSAGE_COUNT; start += 100) {
      await producer.send({ topic: TOPIC, messages: messages.slice(start, start + 100) });
    }
    await producer.disconnect();
    await allSeen;

    const admin = kafka.admin();
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId, topics: [TOPIC] });
    const highWater = await admin.fetchTopicOffsets(TOPIC);
    await admin.disconnect();
    await Promise.all(consumers.map((consumer) => consumer.disconnect()));

    expect(seen.size).toBe(MESSAGE_COUNT);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    for (const message of messages) expect(seen.get(message.value)).toBe(1);
    expect(highWater).toHaveLength(3);
    const committedByPartition = new Map(committed[0].partitions.map((p) => [p.partition, p.offset]));
    for (const partition of highWater) expect(committedByPartition.get(partition.partition)).toBe(partition.high);
    expect(highWater.reduce((sum, p) => sum + Number(p.high), 0)).toBe(MESSAGE_COUNT);
  });
});
