import { FieldMap, ProtoWriter, type Transaction } from '#chain';
import { ConsensusMessageType, type ConsensusTransport } from './transport.js';

/** Encodes forwarded transactions (repeated bytes, field 1). */
export function encodeForwardedTxs(txs: readonly Uint8Array[]): Uint8Array {
  const writer = new ProtoWriter(txs.length * 256);
  for (const tx of txs) writer.repeatedBytes(1, tx);
  return writer.finish();
}

/** Decodes forwarded transactions; throws WireError on garbage. */
export function decodeForwardedTxs(bytes: Uint8Array): Uint8Array[] {
  return new FieldMap(bytes, { 1: 2 }, [1]).readRepeated(1).map((tx) => tx.slice());
}

// Keeps forwarded frames far below the frame limit.
const MAX_TXS_PER_FRAME = 2000;

/**
 * Sends transactions a follower admitted to the current leader, batched per event loop turn
 * so a burst of submissions costs few frames. A follower also keeps them in its own pool, so a
 * new leader elected from it still has them.
 */
export class TxForwarder {
  private queue: Uint8Array[] = [];
  private scheduled = false;

  constructor(
    private readonly transport: ConsensusTransport,
    private readonly leaderId: () => string | undefined,
  ) {}

  /** Queues transactions for the leader. */
  forward(txs: readonly Transaction[]): void {
    for (const tx of txs) this.queue.push(tx.bytes);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const leader = this.leaderId();
    const queued = this.queue;
    this.queue = [];
    if (!leader || queued.length === 0) return;
    for (let i = 0; i < queued.length; i += MAX_TXS_PER_FRAME) {
      this.transport.send(leader, ConsensusMessageType.TX_FORWARD, encodeForwardedTxs(queued.slice(i, i + MAX_TXS_PER_FRAME)));
    }
  }
}

/**
 * Admits transactions other validators forward to this one; undecodable frames are ignored
 * (the sender authenticated the link, but its payload is still untrusted input).
 */
export function subscribeForwardedTxs(
  transport: ConsensusTransport,
  admit: (txs: Uint8Array[]) => Promise<void>,
  onError: (error: unknown) => void,
): () => void {
  return transport.subscribe(ConsensusMessageType.TX_FORWARD, (_from, payload) => {
    let txs: Uint8Array[];
    try {
      txs = decodeForwardedTxs(payload);
    } catch {
      return;
    }
    void admit(txs).catch(onError);
  });
}
