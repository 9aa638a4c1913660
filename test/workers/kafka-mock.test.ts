import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaMock, type KafkaMock } from '../helpers/kafka-mock/index.js';

const TOPIC = 'accord.txs';
const MESSAGE_COUNT = 1_000;

describe('librdkafka mock broker helper', () => {
  let mock: KafkaMock;

  beforeAll(async () => {
    mock = await startKafkaMock({ topics: [{ name: TOPIC, partitions: 3 }] });
  });

  afterAll(async () => {
    await mock?.stop();
  });

  it('carries 1,000 messages over 3 partitions to a two-member consumer group exactly once with manual commits', async () => {
    const kafka = new Kafka({ clientId: 'kafka-mock-test', brokers: mock.brokers, logLevel: logLevel.NOTHING });
    const seen = new Map<string, number>();
    let done!: () => void;
    const allSeen = new Promise<void>((resolve) => (done = resolve));
    // Latest assignment per member: messages are produced only once the group is stable, so
    // a rebalance cannot legitimately redeliver anything.
    const assignments: number[][] = [[], []];
    let groupStable!: () => void;
    const stable = new Promise<void>((resolve) => (groupStable = resolve));
    const consumers: Consumer[] = [];
    for (let member = 0; member < 2; member++) {
      const consumer = kafka.consumer({ groupId: 'accord-test-group', sessionTimeout: 30_000, rebalanceTimeout: 10_000, heartbeatInterval: 500 });
      consumers.push(consumer);
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        assignments[member] = payload.memberAssignment[TOPIC] ?? [];
        const [a, b] = assignments;
        const covered = new Set([...a, ...b]);
        if (a.length > 0 && b.length > 0 && covered.size === 3 && a.length + b.length === 3) groupStable();
      });
      await consumer.connect();
      await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    }
    // Both members start together so they usually land in the group's first generation.
    await Promise.all(
      consumers.map((consumer) =>
        consumer.run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            const value = message.value?.toString() ?? '';
            seen.set(value, (seen.get(value) ?? 0) + 1);
            await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
            if (seen.size === MESSAGE_COUNT) done();
          },
        }),
      ),
    );
    await stable;

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
    const committed = await admin.fetchOffsets({ groupId: 'accord-test-group', topics: [TOPIC] });
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
