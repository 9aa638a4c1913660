import type { TLSSocket } from 'node:tls';
import { FrameDecoder } from './frame-decoder.js';
import { FRAME_HEADER_BYTES, writeFrameHeader, type Frame } from './frame.js';
import type { P2pMetrics } from './metrics.js';

/** Who opened the TCP connection. */
export type LinkDirection = 'inbound' | 'outbound';

/** Why an established (or establishing) link was closed. */
export type LinkCloseReason =
  | 'shutdown'
  | 'duplicate'
  | 'heartbeat_timeout'
  | 'handshake_timeout'
  | 'revoked'
  | 'not_a_validator'
  | 'wrong_node_id'
  | 'frame_rejected'
  | 'protocol_error'
  | 'peer_closed';

/** Callbacks from a link to its owner. */
export interface PeerLinkHooks {
  onFrame(link: PeerLink, frame: Frame): void;
  /** Called once, synchronously from {@link PeerLink.close} or when the socket closes. */
  onClosed(link: PeerLink, reason: LinkCloseReason, detail: string): void;
  /** The send queue fell back under half its bound after a send was refused. */
  onWritable(link: PeerLink): void;
}

/** Options of {@link PeerLink}. */
export interface PeerLinkOptions {
  readonly socket: TLSSocket;
  readonly direction: LinkDirection;
  /** The peer's node id as its certificate established it. */
  readonly peerNodeId: string;
  /** Normalised serial of the peer's certificate. */
  readonly peerSerial: string;
  /** SPKI SHA-256 of the peer's key, to notice when the registry no longer lists it. */
  readonly peerSpkiSha256: string;
  readonly maxFrameBytes: number;
  readonly maxQueueBytes: number;
  readonly metrics: P2pMetrics;
  readonly hooks: PeerLinkHooks;
}

/** Small frames are appended into shared batch buffers of this size, written once per tick. */
const BATCH_BYTES = 64 * 1024;
/** Frames above this get their own buffer instead of being copied into a batch. */
const LARGE_FRAME_BYTES = BATCH_BYTES / 4;
/**
 * How much we let the socket itself buffer before waiting for 'drain'. Stopping at the first
 * `write() === false` (16 KiB high-water mark) would allow a single 64 KiB frame per drain cycle.
 */
const SOCKET_BUFFER_TARGET_BYTES = 1024 * 1024;
/** A batch buffer remainder smaller than this is dropped rather than reused. */
const MIN_BATCH_REMAINDER_BYTES = 2048;

/**
 * One authenticated TLS connection to a peer: frame decoding on the way in, a bounded queue with
 * per-tick write coalescing on the way out. Sends made during one event-loop turn go out as a few
 * large socket writes in the next turn, and the socket's own back-pressure (`write` returning
 * false, then `drain`) stops the flushing; the queue, not the socket, absorbs the burst, up to
 * `maxQueueBytes`.
 */
export class PeerLink {
  readonly socket: TLSSocket;
  readonly direction: LinkDirection;
  readonly peerNodeId: string;
  readonly peerSerial: string;
  readonly peerSpkiSha256: string;
  readonly openedAtMs = Date.now();
  /**
   * 'hello' until the peer's HELLO arrives and the owner calls {@link markUp}; 'draining' after a
   * graceful close until the socket is gone.
   */
  state: 'hello' | 'up' | 'draining' | 'closed' = 'hello';
  lastReceivedAtMs = Date.now();
  lastSentAtMs = Date.now();
  private readonly options: PeerLinkOptions;
  private readonly decoder: FrameDecoder;
  private readonly queue: Buffer[] = [];
  /** Bytes accepted by enqueue and not yet handed to the socket (queue + open batch). */
  private pendingBytes = 0;
  private batch: Buffer | null = null;
  private batchUsed = 0;
  private flushScheduled = false;
  private waitingForDrain = false;
  private refusedSend = false;

  constructor(options: PeerLinkOptions) {
    this.options = options;
    this.socket = options.socket;
    this.direction = options.direction;
    this.peerNodeId = options.peerNodeId;
    this.peerSerial = options.peerSerial;
    this.peerSpkiSha256 = options.peerSpkiSha256;
    this.decoder = new FrameDecoder({ maxFrameBytes: options.maxFrameBytes });
    this.socket.setNoDelay(true);
    this.socket.on('data', this.onData);
    this.socket.on('drain', this.onDrain);
    this.socket.on('error', () => undefined); // 'close' follows and reports the link as down
    this.socket.on('close', () => {
      if (this.state === 'draining') this.state = 'closed';
      else this.close('peer_closed', 'connection closed');
    });
  }

  /** Bytes queued for this peer and not yet on the wire (ours plus the socket's buffer). */
  get queuedBytes(): number {
    return this.pendingBytes + this.socket.writableLength;
  }

  /** Marks the HELLO exchange complete. */
  markUp(): void {
    if (this.state === 'hello') this.state = 'up';
  }

  /**
   * Queues one frame. Returns false, queuing nothing, when the link is closed or when the frame
   * would take the queue over `maxQueueBytes` (back-pressure); `force` skips the bound for the
   * transport's own tiny control frames.
   */
  enqueue(type: number, payload: Uint8Array, force = false): boolean {
    if (this.state === 'closed' || this.state === 'draining') return false;
    const frameBytes = FRAME_HEADER_BYTES + payload.length;
    if (!force && this.queuedBytes + frameBytes > this.options.maxQueueBytes) {
      this.refusedSend = true;
      return false;
    }
    if (frameBytes > LARGE_FRAME_BYTES) {
      this.sealBatch();
      const frame = Buffer.allocUnsafe(frameBytes);
      writeFrameHeader(frame, 0, type, payload);
      frame.set(payload, FRAME_HEADER_BYTES);
      this.queue.push(frame);
    } else {
      if (this.batch === null || this.batchUsed + frameBytes > this.batch.length) {
        this.sealBatch();
        if (this.batch === null || this.batch.length < frameBytes) this.batch = Buffer.allocUnsafe(BATCH_BYTES);
      }
      const batch = this.batch as Buffer;
      writeFrameHeader(batch, this.batchUsed, type, payload);
      batch.set(payload, this.batchUsed + FRAME_HEADER_BYTES);
      this.batchUsed += frameBytes;
    }
    this.pendingBytes += frameBytes;
    this.options.metrics.recordSent(type, frameBytes);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
    return true;
  }

  /**
   * Closes the link once and reports it closed at once. `graceful` writes out what is queued and
   * ends the TLS stream, still delivering frames the peer sent before it saw the end (so nothing
   * is lost when a duplicate link is retired); otherwise the socket is destroyed.
   */
  close(reason: LinkCloseReason, detail: string, graceful = false): void {
    if (this.state === 'closed' || this.state === 'draining') return;
    if (graceful && !this.socket.destroyed) {
      this.state = 'draining';
      this.writeOut(true);
      this.socket.end();
      // A peer that stops reading must not hold the socket open forever.
      setTimeout(() => this.socket.destroy(), 2000).unref();
    } else {
      this.state = 'closed';
      this.socket.destroy();
    }
    this.queue.length = 0;
    this.pendingBytes = 0;
    this.batch = null;
    this.options.hooks.onClosed(this, reason, detail);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.lastReceivedAtMs = Date.now();
    const rejection = this.decoder.push(chunk, this.onFrame);
    if (rejection && this.state !== 'closed' && this.state !== 'draining') {
      this.options.metrics.framesRejected.inc({ reason: rejection.code });
      this.close('frame_rejected', `${rejection.code}: ${rejection.message}`);
    }
  };

  private readonly onFrame = (frame: Frame): void => {
    if (this.state === 'closed') return;
    this.options.metrics.recordReceived(frame.type, FRAME_HEADER_BYTES + frame.payload.length);
    this.options.hooks.onFrame(this, frame);
  };

  private readonly flush = (): void => {
    this.flushScheduled = false;
    if (this.state === 'closed' || this.state === 'draining') return;
    this.sealBatch();
    if (!this.waitingForDrain) this.writeOut(false);
    // The socket took everything without asking for a drain: no 'drain' will come to report it.
    if (!this.waitingForDrain) this.reportWritable();
  };

  private readonly onDrain = (): void => {
    this.waitingForDrain = false;
    if (this.state === 'closed' || this.state === 'draining') return;
    this.writeOut(false);
    this.reportWritable();
  };

  private reportWritable(): void {
    if (this.refusedSend && this.queuedBytes <= this.options.maxQueueBytes / 2) {
      this.refusedSend = false;
      this.options.hooks.onWritable(this);
    }
  }

  /**
   * Hands queued buffers to the socket until its buffer holds SOCKET_BUFFER_TARGET_BYTES (then
   * waits for 'drain'), or everything when `all`.
   */
  private writeOut(all: boolean): void {
    if (all) this.sealBatch();
    if (this.queue.length === 0) return;
    this.socket.cork();
    let accepted = true;
    while (this.queue.length > 0) {
      if (!all && !accepted && this.socket.writableLength >= SOCKET_BUFFER_TARGET_BYTES) {
        this.waitingForDrain = true;
        break;
      }
      const buffer = this.queue.shift() as Buffer;
      this.pendingBytes -= buffer.length;
      accepted = this.socket.write(buffer);
    }
    this.socket.uncork();
    this.lastSentAtMs = Date.now();
  }

  /** Moves the filled part of the open batch to the queue, keeping its free tail for next time. */
  private sealBatch(): void {
    if (this.batch === null || this.batchUsed === 0) return;
    this.queue.push(this.batch.subarray(0, this.batchUsed));
    const remainder = this.batch.length - this.batchUsed;
    this.batch = remainder >= MIN_BATCH_REMAINDER_BYTES ? this.batch.subarray(this.batchUsed) : null;
    this.batchUsed = 0;
  }
}
