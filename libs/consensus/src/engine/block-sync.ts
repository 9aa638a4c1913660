import { decodeBlock, encodeBlock } from '#chain';
import { AccordError } from '#common';
import type { BlockPipeline } from './block-pipeline.js';
import { decodeBlockRequest, decodeBlockResponse, encodeBlockRequest, encodeBlockResponse, type BlockResponse } from './block-sync-protocol.js';
import { ConsensusMessageType, type ConsensusTransport } from './transport.js';

/** Tunables of block sync. */
export interface BlockSyncOptions {
  /** Blocks per request. */
  blocksPerRequest: number;
  /** How long to wait for a response. */
  requestTimeoutMs: number;
  /** Called for blocks a peer served that failed validation (the peer is not trusted further). */
  onBadBlock?: (peerId: string, error: unknown) => void;
}

const DEFAULT_OPTIONS: BlockSyncOptions = { blocksPerRequest: 64, requestTimeoutMs: 5000 };
// A response stays well under the 16 MiB frame limit.
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/**
 * Serves committed blocks to peers and fetches missing ones from them: how a lagging or
 * restarted validator catches up when the consensus log no longer holds what it missed.
 * Every fetched block is validated and committed through the same pipeline as any other.
 */
export class BlockSync {
  private readonly options: BlockSyncOptions;
  private nextRequestId = 1;
  private readonly pending = new Map<number, { peerId: string; resolve: (response: BlockResponse) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly pipeline: BlockPipeline,
    private readonly transport: ConsensusTransport,
    options: Partial<BlockSyncOptions> = {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.unsubscribe.push(transport.subscribe(ConsensusMessageType.BLOCK_REQUEST, (from, payload) => void this.serve(from, payload)));
    this.unsubscribe.push(transport.subscribe(ConsensusMessageType.BLOCK_RESPONSE, (from, payload) => this.onResponse(from, payload)));
  }

  /** Stops serving and fails outstanding requests. */
  close(): void {
    for (const off of this.unsubscribe) off();
    for (const [id, request] of this.pending) {
      clearTimeout(request.timer);
      request.reject(new AccordError('SYNC_CLOSED', 'block sync closed'));
      this.pending.delete(id);
    }
  }

  private async serve(from: string, payload: Buffer): Promise<void> {
    let request;
    try {
      request = decodeBlockRequest(payload);
    } catch {
      return;
    }
    const ledger = this.pipeline.ledger;
    const blocks: Uint8Array[] = [];
    const certificates: Uint8Array[] = [];
    let bytes = 0;
    const count = Math.min(Math.max(request.maxBlocks, 1), 256);
    for (let height = request.fromHeight; height < request.fromHeight + BigInt(count) && height <= ledger.height; height++) {
      const stored = await ledger.getBlock(Number(height));
      if (!stored) break;
      const encoded = encodeBlock({ header: stored.header, txs: stored.txs });
      if (bytes + encoded.length > MAX_RESPONSE_BYTES && blocks.length > 0) break;
      bytes += encoded.length;
      blocks.push(encoded);
      certificates.push(stored.certificate ?? new Uint8Array(0));
    }
    this.transport.send(from, ConsensusMessageType.BLOCK_RESPONSE, encodeBlockResponse({ requestId: request.requestId, headHeight: ledger.height, blocks, certificates }));
  }

  private onResponse(from: string, payload: Buffer): void {
    let response: BlockResponse;
    try {
      response = decodeBlockResponse(payload);
    } catch {
      return;
    }
    const request = this.pending.get(response.requestId);
    if (!request || request.peerId !== from) return;
    this.pending.delete(response.requestId);
    clearTimeout(request.timer);
    request.resolve(response);
  }

  private request(peerId: string, fromHeight: bigint): Promise<BlockResponse> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new AccordError('SYNC_TIMEOUT', `no block response from ${peerId}`));
      }, this.options.requestTimeoutMs);
      this.pending.set(requestId, { peerId, resolve, reject, timer });
      if (!this.transport.send(peerId, ConsensusMessageType.BLOCK_REQUEST, encodeBlockRequest({ requestId, fromHeight, maxBlocks: this.options.blocksPerRequest }))) {
        clearTimeout(timer);
        this.pending.delete(requestId);
        reject(new AccordError('SYNC_NO_LINK', `no link to ${peerId}`));
      }
    });
  }

  /**
   * Fetches and commits blocks from `peerId` until this node reaches `targetHeight` (or the
   * peer's head when not given). Returns the number of blocks committed.
   */
  async syncFrom(peerId: string, targetHeight?: bigint): Promise<number> {
    const ledger = this.pipeline.ledger;
    let committed = 0;
    for (;;) {
      if (targetHeight !== undefined && ledger.height >= targetHeight) return committed;
      const response = await this.request(peerId, ledger.height + 1n);
      if (response.blocks.length === 0) return committed;
      for (let i = 0; i < response.blocks.length; i++) {
        try {
          const block = decodeBlock(response.blocks[i].slice(), ledger.txLimits);
          if (block.header.height !== ledger.height + 1n) throw new AccordError('SYNC_OUT_OF_ORDER', `expected block ${ledger.height + 1n}`);
          const executed = this.pipeline.validate(block);
          const certificate = response.certificates[i];
          await this.pipeline.commit(block, executed, { certificate: certificate && certificate.length > 0 ? certificate.slice() : undefined });
          committed++;
        } catch (error) {
          this.options.onBadBlock?.(peerId, error);
          throw error;
        }
      }
      if (ledger.height >= response.headHeight) return committed;
    }
  }
}
