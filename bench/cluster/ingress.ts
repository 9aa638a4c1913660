import type { Producer } from 'kafkajs';
import type { Transaction } from '#chain';
import type { AccordClient } from '#sdk';
import { startKafkaMock, type KafkaMock } from '../../test/helpers/kafka-mock/index.js';
import { assignedPartitions, connectProducer, testKafka, txRecord, until } from '../../test/kafka/kafka-support.js';

/** How the benchmark hands signed transfers to the cluster. */
export interface Ingress {
  readonly name: 'rest' | 'kafka';
  /** Hands over one batch; `worker` spreads REST batches over the validators. */
  submit(batch: Transaction[], worker: number): Promise<{ accepted: number; refusals: Map<string, number> }>;
  close(): Promise<void>;
}

/** Batches posted to `POST /v1/transactions/batch`, round-robin over the validators. */
export function restIngress(clients: () => AccordClient[]): Ingress {
  return {
    name: 'rest',
    async submit(batch, worker) {
      const all = clients();
      const result = await all[worker % all.length].submitBatch(batch);
      const refusals = new Map<string, number>();
      for (const r of result.results) if (!r.accepted && r.code) refusals.set(r.code, (refusals.get(r.code) ?? 0) + 1);
      return { accepted: result.accepted, refusals };
    },
    async close() {},
  };
}

export const KAFKA_TOPIC = 'accord.tx';

/**
 * Partitions of the transaction topic for `validators` consumers: one each, at least 3. With
 * more validators than partitions the extra validator never finished joining the group on the
 * mock broker (and a validator serves REST only once its consumer joined).
 */
export function kafkaPartitions(validators: number): number {
  return Math.max(3, validators);
}

/** A librdkafka mock cluster with the topics every validator consumes (in one group). */
export async function startBenchKafka(partitions: number): Promise<KafkaMock> {
  return startKafkaMock({
    topics: [
      { name: KAFKA_TOPIC, partitions },
      { name: `${KAFKA_TOPIC}.dlq`, partitions: 1 },
      { name: `${KAFKA_TOPIC}.receipts`, partitions },
    ],
  });
}

/** Waits until the validators' consumer group shares every partition (a rebalance pauses consumption). */
export async function waitForKafkaGroup(urls: () => string[], partitions: number): Promise<void> {
  await until(
    `the group sharing the ${partitions} partitions`,
    async () => ((await Promise.all(urls().map((url) => assignedPartitions(url)))).reduce((a, b) => a + b, 0) === partitions ? true : undefined),
    120_000,
  );
}

/** Records produced to `accord.tx` keyed by sender (acks=all): produced counts as accepted. */
export async function kafkaIngress(brokers: string[]): Promise<Ingress> {
  const producer: Producer = await connectProducer(testKafka(brokers));
  return {
    name: 'kafka',
    async submit(batch) {
      await producer.send({ topic: KAFKA_TOPIC, acks: -1, messages: batch.map(txRecord).map((r) => ({ key: r.key, value: Buffer.from(r.value) })) });
      return { accepted: batch.length, refusals: new Map() };
    },
    async close() {
      await producer.disconnect();
    },
  };
}
