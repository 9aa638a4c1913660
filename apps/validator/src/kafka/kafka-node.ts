import { Gauge, type Registry } from 'prom-client';
import type { BlockPipeline } from '#consensus';
import type { Ledger } from '#ledger';
import { KafkaIngress, type IngressSubmission, type KafkaIngressHost, type Mempool } from '#mempool';
import type { Admission } from '../node/admission.js';

/** Topic and group names of the Kafka ingress. */
export interface KafkaSettings {
  txTopic: string;
  dlqTopic: string;
  receiptsTopic: string;
  groupId: string;
}

/** Names from `KAFKA_TX_TOPIC`, `KAFKA_DLQ_TOPIC`, `KAFKA_RECEIPTS_TOPIC`, `KAFKA_GROUP_ID`, with the documented defaults. */
export function kafkaSettingsFrom(env: NodeJS.ProcessEnv = process.env): KafkaSettings {
  const txTopic = env.KAFKA_TX_TOPIC || 'accord.tx';
  return {
    txTopic,
    dlqTopic: env.KAFKA_DLQ_TOPIC || `${txTopic}.dlq`,
    receiptsTopic: env.KAFKA_RECEIPTS_TOPIC || `${txTopic}.receipts`,
    groupId: env.KAFKA_GROUP_ID || 'accord-validators',
  };
}

/** The parts of a validator node the ingress is wired to. */
export interface KafkaNodeParts {
  nodeId: string;
  ledger: Ledger;
  mempool: Mempool;
  pipeline: BlockPipeline;
  admission: Admission;
  registry: Registry;
  logger: { info(message: string): void; warn?(message: string): void; error(message: string): void };
}

/**
 * Wires a Kafka ingress into a running node (admission, pool, ledger offsets, pipeline events,
 * metrics) and starts consuming.
 */
export async function startKafkaIngress(parts: KafkaNodeParts, brokers: string[], settings: KafkaSettings = kafkaSettingsFrom()): Promise<KafkaIngress> {
  const { ledger, mempool, pipeline, admission } = parts;
  const host: KafkaIngressHost = {
    submit: async (rawTxs) =>
      (await admission.submit(rawTxs, 'kafka')).map((r): IngressSubmission => (r.accepted ? { accepted: true, hashHex: r.hashHex } : r)),
    isUnderPressure: () => mempool.isUnderPressure(),
    isPooled: (hashHex) => mempool.has(hashHex),
    outcome: async (hashHex) => {
      const outcome = await ledger.getOutcome(hashHex);
      if (!outcome) return undefined;
      if (outcome.status === 'committed') return { status: 'committed', height: outcome.height ?? 0, index: outcome.position ?? 0 };
      return { status: 'rejected', code: outcome.code, message: outcome.message ?? outcome.code };
    },
    storedOffsets: async () => (await ledger.kafkaOffsets()).filter((o) => o.topic === settings.txTopic),
  };
  const registers = [parts.registry];
  const lag = new Gauge({ name: 'accord_kafka_consumer_lag_messages', help: 'Messages of a partition not yet done (high watermark minus committable offset)', labelNames: ['topic', 'partition'], registers });
  const assigned = new Gauge({ name: 'accord_kafka_assigned_partitions', help: 'Partitions of the transaction topic this validator consumes', registers });
  const logger = { info: parts.logger.info, warn: parts.logger.warn ?? parts.logger.info, error: parts.logger.error };
  const ingress = new KafkaIngress(host, {
    brokers,
    clientId: `accord-${parts.nodeId}`,
    ...settings,
    logger,
    onAssigned: (partitions) => assigned.set(partitions.length),
    onLag: (tp, messages) => lag.set({ topic: tp.topic, partition: String(tp.partition) }, messages),
  });
  new Gauge({ name: 'accord_kafka_consumer_connected', help: '1 when the Kafka consumer is connected', registers, collect() { this.set(ingress.isConnected() ? 1 : 0); } });
  pipeline.setCommitExtrasProvider(() => ingress.commitExtras());
  pipeline.onCommitted(({ block }) => ingress.onBlockCommitted(Number(block.header.height), block.txs.map((tx) => tx.hashHex)));
  pipeline.onRejected((events) => ingress.onRejected(events));
  await ingress.start();
  return ingress;
}
