import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka, Producer } from 'kafkajs';
import { KafkaIngress, type IngressSubmission, type KafkaIngressHost, type PartitionOffset } from '#mempool';
import { startKafkaMock, type KafkaMock } from '../helpers/kafka-mock/index.js';
import { connectProducer, readTopic, testKafka, until } from './kafka-support.js';

// The ingress against a real Kafka-protocol broker, with a scripted validator behind it:
// message values are commands ("ok:<hash>", "full:<hash>", "bad") so each scenario controls
// what admission answers and when blocks commit.

const SCENARIOS = ['pressure', 'rejected', 'resume'] as const;
const quiet = { info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) };

class ScriptedHost implements KafkaIngressHost {
  readonly submitted: string[] = [];
  underPressure = false;
  submitsUnderPressure = 0;
  fullRefusals = 0;
  stored: PartitionOffset[] = [];

  async submit(rawTxs: Uint8Array[]): Promise<IngressSubmission[]> {
    if (this.underPressure) this.submitsUnderPressure++;
    return rawTxs.map((raw) => {
      const [command, hashHex] = Buffer.from(raw).toString().split(':');
      this.submitted.push(Buffer.from(raw).toString());
      if (command === 'full' && this.fullRefusals < 2) {
        this.fullRefusals++;
        return { accepted: false, hashHex, code: 'MEMPOOL_FULL', message: 'pool is full', retryAfterMs: 50 };
      }
      if (command === 'bad') return { accepted: false, code: 'MALFORMED_TX', message: 'not a transaction' };
      return { accepted: true, hashHex };
    });
  }
  isUnderPressure(): boolean {
    return this.underPressure;
  }
  isPooled(): boolean {
    return true;
  }
  async outcome(): Promise<undefined> {
    return undefined;
  }
  async storedOffsets(): Promise<PartitionOffset[]> {
    return this.stored;
  }
}

let mock: KafkaMock;
let kafka: Kafka;
let producer: Producer;
const running: KafkaIngress[] = [];

function topics(scenario: string): { txTopic: string; dlqTopic: string; receiptsTopic: string; groupId: string } {
  return { txTopic: `${scenario}.tx`, dlqTopic: `${scenario}.tx.dlq`, receiptsTopic: `${scenario}.tx.receipts`, groupId: `${scenario}-group` };
}

async function startIngress(host: ScriptedHost, scenario: string): Promise<KafkaIngress> {
  let assigned = false;
  const ingress = new KafkaIngress(host, { brokers: mock.brokers, clientId: scenario, ...topics(scenario), retryDelayMs: 50, logger: quiet, onAssigned: (p) => (assigned = p.length > 0) });
  running.push(ingress);
  await ingress.start();
  await until('the partition assigned', async () => (assigned ? true : undefined));
  return ingress;
}

async function produce(scenario: string, values: string[]): Promise<void> {
  await producer.send({ topic: topics(scenario).txTopic, acks: -1, messages: values.map((value) => ({ key: 'k', value })) });
}

async function committedOffset(scenario: string): Promise<string | undefined> {
  const admin = kafka.admin();
  await admin.connect();
  const [result] = await admin.fetchOffsets({ groupId: topics(scenario).groupId, topics: [topics(scenario).txTopic] });
  await admin.disconnect();
  return result.partitions.find((p) => p.partition === 0)?.offset;
}

beforeAll(async () => {
  mock = await startKafkaMock({ topics: SCENARIOS.flatMap((s) => [`${s}.tx`, `${s}.tx.dlq`, `${s}.tx.receipts`].map((name) => ({ name, partitions: 1 }))) });
  kafka = testKafka(mock.brokers);
  producer = await connectProducer(kafka);
});

afterAll(async () => {
  for (const ingress of running) await ingress.stop();
  await producer?.disconnect();
  await mock?.stop();
});

describe('KafkaIngress on a Kafka-protocol broker', () => {
  it('waits out back-pressure without dead-lettering, and commits an offset only after the block commit', async () => {
    const host = new ScriptedHost();
    host.underPressure = true;
    const ingress = await startIngress(host, 'pressure');
    await produce('pressure', ['ok:a1', 'full:a2', 'ok:a3']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(host.submitted).toEqual([]);
    host.underPressure = false;
    // a2 is refused twice with MEMPOOL_FULL and resubmitted (with a3, which is retried behind it).
    await until('a2 admitted', async () => (host.submitted.filter((v) => v === 'full:a2').length === 3 ? true : undefined));
    expect(host.submitsUnderPressure).toBe(0);
    expect(ingress.commitExtras()?.kafkaOffsets).toEqual([{ topic: 'pressure.tx', partition: 0, nextOffset: '0' }]);

    ingress.onBlockCommitted(5, ['a2', 'unrelated']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // a1 (offset 0) is still unfinished: nothing may be committed past it.
    expect(await committedOffset('pressure')).toBe('-1');
    ingress.onBlockCommitted(6, ['a1', 'a3']);
    await until('offset 3 committed', async () => ((await committedOffset('pressure')) === '3' ? true : undefined));
    expect(ingress.commitExtras()?.kafkaOffsets).toEqual([{ topic: 'pressure.tx', partition: 0, nextOffset: '3' }]);
    expect(await readTopic(kafka, 'pressure.tx.dlq')).toEqual([]);
    const receipts = (await readTopic(kafka, 'pressure.tx.receipts')).map((r) => JSON.parse(r.value.toString()) as unknown);
    expect(receipts).toEqual([
      { hash: 'a2', status: 'committed', height: 5, index: 0 },
      { hash: 'a1', status: 'committed', height: 6, index: 0 },
      { hash: 'a3', status: 'committed', height: 6, index: 1 },
    ]);
  });

  it('dead-letters refused messages at once and pooled ones dropped later, with the reason and origin', async () => {
    const host = new ScriptedHost();
    const ingress = await startIngress(host, 'rejected');
    await produce('rejected', ['ok:b0', 'bad', 'ok:b2']);
    await until('the malformed message dead-lettered', async () => ((await readTopic(kafka, 'rejected.tx.dlq')).length === 1 ? true : undefined));
    ingress.onRejected([{ hashHex: 'b0', code: 'NONCE_REPLAY', message: 'dropped after block 9' }]);
    ingress.onBlockCommitted(9, ['b2']);
    await until('offset 3 committed', async () => ((await committedOffset('rejected')) === '3' ? true : undefined));
    const dlq = await readTopic(kafka, 'rejected.tx.dlq');
    expect(dlq.map((r) => [r.value.toString(), r.headers.reason, r.headers['original-offset'], r.key])).toEqual([
      ['bad', 'MALFORMED_TX', '1', 'k'],
      ['ok:b0', 'NONCE_REPLAY', '0', 'k'],
    ]);
    const receipts = (await readTopic(kafka, 'rejected.tx.receipts')).map((r) => JSON.parse(r.value.toString()) as { hash: string; status: string; reason?: string });
    expect(receipts.map((r) => [r.hash, r.status, r.reason])).toEqual([
      ['b0', 'rejected', 'NONCE_REPLAY'],
      ['b2', 'committed', undefined],
    ]);
  });

  it('resumes from the ledger offsets when they are ahead of the group, skipping what the ledger already holds', async () => {
    await produce('resume', ['ok:c0', 'ok:c1', 'ok:c2', 'ok:c3']);
    const host = new ScriptedHost();
    host.stored = [{ topic: 'resume.tx', partition: 0, nextOffset: '2' }];
    const ingress = await startIngress(host, 'resume');
    await until('c2 and c3 submitted', async () => (host.submitted.length >= 2 ? true : undefined));
    expect(host.submitted).toEqual(['ok:c2', 'ok:c3']);
    ingress.onBlockCommitted(3, ['c2', 'c3']);
    await until('offset 4 committed', async () => ((await committedOffset('resume')) === '4' ? true : undefined));
  });
});
