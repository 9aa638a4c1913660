import { AccordApiError } from '#sdk';
import { transfer, type TestAccount } from '../support/chain-fixtures.js';
import type { ChaosCluster } from './chaos-cluster.js';
import type { Random } from './random.js';

/**
 * One transaction as the clients saw it: `acknowledged` once a validator answered that it is
 * committed (with where), `indeterminate` while no answer was definite (it may or may not
 * commit, but at most once).
 */
export interface TxRecord {
  hash: string;
  sender: number;
  nonce: bigint;
  attempts: number;
  outcome: 'acknowledged' | 'indeterminate';
  ack?: { nodeId: string; height: number; index: number };
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Clients in the spirit of Jepsen: each owns one sender and sends it transfers one nonce at a
 * time to validators picked at random, resubmitting the same signed transaction (to another
 * validator) until one answers that it is committed. Every try and outcome is recorded.
 */
export class Workload {
  readonly history = new Map<string, TxRecord>();
  private running = false;
  private workers: Promise<void>[] = [];

  constructor(
    private readonly cluster: ChaosCluster,
    private readonly senders: readonly TestAccount[],
    private readonly sink: TestAccount,
    private readonly random: Random,
  ) {}

  start(): void {
    this.running = true;
    this.workers = this.senders.map((_, i) => this.worker(i));
  }

  /** Stops sending; the transaction each client was busy with stays indeterminate unless answered. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  acknowledged(): number {
    return [...this.history.values()].filter((r) => r.outcome === 'acknowledged').length;
  }

  /** Submits one transaction outside the workers until acknowledged (a probe). */
  async commitOne(sender: TestAccount, senderIndex: number, nonce: bigint, timeoutMs: number): Promise<TxRecord> {
    const record = this.record(sender, senderIndex, nonce);
    const deadline = Date.now() + timeoutMs;
    while (record.outcome !== 'acknowledged') {
      if (Date.now() > deadline) throw new Error(`probe ${record.hash} not committed within ${timeoutMs} ms`);
      await this.attempt(record, sender);
    }
    return record;
  }

  private record(sender: TestAccount, senderIndex: number, nonce: bigint): TxRecord {
    const tx = transfer(sender, this.sink, 1n, nonce);
    const record: TxRecord = { hash: tx.hashHex, sender: senderIndex, nonce, attempts: 0, outcome: 'indeterminate' };
    this.history.set(record.hash, record);
    return record;
  }

  private async worker(index: number): Promise<void> {
    const sender = this.senders[index];
    let nonce = 0n;
    while (this.running) {
      const record = this.record(sender, index, nonce);
      while (this.running && record.outcome !== 'acknowledged') await this.attempt(record, sender);
      nonce++;
    }
  }

  /** One try at one validator: submit and wait; on anything but a commit, ask where it stands. */
  private async attempt(record: TxRecord, sender: TestAccount): Promise<void> {
    const targets = this.cluster.responsive();
    // Paused validators are still picked sometimes: a client does not know a node hangs.
    const all = [...this.cluster.nodes.keys()];
    const pool = this.random.next() < 0.9 && targets.length > 0 ? targets : all;
    if (pool.length === 0) return pause(200);
    const nodeId = this.random.pick(pool);
    record.attempts++;
    const tx = transfer(sender, this.sink, 1n, record.nonce);
    try {
      const client = this.cluster.client(nodeId, 8000);
      const answer = await client.submit(tx, { wait: true, waitTimeoutMs: 5000 });
      if (answer.status === 'committed' && answer.height !== undefined && answer.index !== undefined) {
        record.outcome = 'acknowledged';
        record.ack = { nodeId, height: answer.height, index: answer.index };
        return;
      }
    } catch (error) {
      // Already committed or already pooled there: ask the same validator where it stands.
      if (!(error instanceof AccordApiError && error.status === 409)) return pause(100 + this.random.int(200));
    }
    try {
      const seen = await this.cluster.client(nodeId, 3000).getTransaction(record.hash);
      if (seen.status === 'committed' && seen.height !== undefined && seen.index !== undefined) {
        record.outcome = 'acknowledged';
        record.ack = { nodeId, height: seen.height, index: seen.index };
      }
    } catch {
      // unknown there, or the validator is unreachable: try again elsewhere
    }
    if (record.outcome !== 'acknowledged') await pause(100 + this.random.int(200));
  }
}
