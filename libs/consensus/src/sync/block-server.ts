import type { Ledger } from '#ledger';
import { decodeBlockRequest, encodeBlockResponse } from '../engine/block-sync-protocol.js';
import { ConsensusMessageType, type ConsensusTransport } from '../engine/transport.js';
import { readEncodedBlocks } from './block-range-reader.js';

// Answers stay well under the 16 MiB frame limit.
const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
const MAX_BLOCKS_PER_RESPONSE = 256;

/**
 * Serves committed blocks with their certificates to peers that sync (BLOCK_REQUEST →
 * BLOCK_RESPONSE, with this node's head height). Requests are answered one at a time, so a
 * syncing peer cannot make this node read many ranges at once.
 */
export class BlockServer {
  private queue: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ledger: Ledger,
    private readonly transport: ConsensusTransport,
    private readonly isAllowedPeer: (peerId: string) => boolean,
  ) {
    this.unsubscribe = transport.subscribe(ConsensusMessageType.BLOCK_REQUEST, (from, payload) => {
      this.queue = this.queue.then(() => this.serve(from, payload)).catch(() => undefined);
    });
  }

  close(): void {
    this.unsubscribe();
  }

  private async serve(from: string, payload: Buffer): Promise<void> {
    if (!this.isAllowedPeer(from)) return;
    let request;
    try {
      request = decodeBlockRequest(payload);
    } catch {
      return;
    }
    const head = this.ledger.height;
    const first = Number(request.fromHeight);
    const count = Math.min(Math.max(request.maxBlocks, 1), MAX_BLOCKS_PER_RESPONSE);
    const last = Math.min(first + count - 1, Number(head));
    const blocks = first >= 1 ? await readEncodedBlocks(this.ledger, first, last, MAX_RESPONSE_BYTES) : [];
    this.transport.send(
      from,
      ConsensusMessageType.BLOCK_RESPONSE,
      encodeBlockResponse({ requestId: request.requestId, headHeight: this.ledger.height, blocks: blocks.map((b) => b.bytes), certificates: blocks.map((b) => b.certificate) }),
    );
  }
}
