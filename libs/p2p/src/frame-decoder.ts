import { crc32c } from './crc32c.js';
import { P2pError } from './errors.js';
import { DEFAULT_MAX_FRAME_BYTES, FRAME_HEADER_BYTES, PROTOCOL_VERSION, type Frame } from './frame.js';

/** Why a byte stream was rejected; the link carrying it must be closed. */
export type FrameRejection = P2pError & { readonly code: 'FRAME_TOO_LARGE' | 'FRAME_CHECKSUM' | 'FRAME_VERSION' };

/** Options of {@link FrameDecoder}. */
export interface FrameDecoderOptions {
  /** Largest accepted payload; a header announcing more is rejected at once. Default 16 MiB. */
  maxFrameBytes?: number;
  /** Protocol versions accepted in headers. Default: only {@link PROTOCOL_VERSION}. */
  acceptedVersions?: readonly number[];
}

/**
 * Incremental frame decoder fed arbitrary chunks of a byte stream. It never throws on bad input:
 * {@link FrameDecoder.push} returns a {@link FrameRejection} and the decoder stays failed. It never
 * holds more than one frame's worth of bytes (header + max payload): frames are emitted as soon as
 * they are complete and an oversized length is rejected as soon as its header is readable.
 */
export class FrameDecoder {
  private readonly maxFrameBytes: number;
  private readonly acceptedVersions: readonly number[];
  private readonly headerScratch = Buffer.alloc(FRAME_HEADER_BYTES);
  private chunks: Buffer[] = [];
  private bufferedCount = 0;
  /** Total bytes (header + payload) of the frame being assembled, once its header was read. */
  private pendingFrameBytes = 0;
  private pendingType = 0;
  private pendingVersion = 0;
  private pendingChecksum = 0;
  private failure: FrameRejection | null = null;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.acceptedVersions = options.acceptedVersions ?? [PROTOCOL_VERSION];
  }

  /** Bytes received but not yet emitted as frames; never above header + max frame bytes. */
  get bufferedBytes(): number {
    return this.bufferedCount;
  }

  /** The rejection that stopped this decoder, if any. */
  get error(): FrameRejection | null {
    return this.failure;
  }

  /**
   * Consumes `chunk`, calling `onFrame` for every frame it completes, in order. Returns null, or
   * the rejection that stops the stream (also returned by every later call).
   */
  push(chunk: Uint8Array, onFrame: (frame: Frame) => void): FrameRejection | null {
    if (this.failure) return this.failure;
    if (chunk.length === 0) return null;
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.bufferedCount === 0) return this.decodeFresh(buffer, onFrame);
    this.chunks.push(buffer);
    this.bufferedCount += buffer.length;
    return this.drainBuffered(onFrame);
  }

  /** Fast path: no partial frame is pending, so frames are read straight out of `chunk`. */
  private decodeFresh(chunk: Buffer, onFrame: (frame: Frame) => void): FrameRejection | null {
    let offset = 0;
    while (chunk.length - offset >= FRAME_HEADER_BYTES) {
      const rejection = this.readHeader(chunk, offset);
      if (rejection) return rejection;
      const end = offset + this.pendingFrameBytes;
      if (end > chunk.length) break;
      const emitted = this.emit(chunk.subarray(offset + FRAME_HEADER_BYTES, end), onFrame);
      if (emitted) return emitted;
      offset = end;
    }
    if (offset < chunk.length) {
      // Copy the tail so a small remainder does not pin the whole socket chunk in memory.
      const rest = Buffer.from(chunk.subarray(offset));
      this.chunks = [rest];
      this.bufferedCount = rest.length;
    }
    return null;
  }

  private drainBuffered(onFrame: (frame: Frame) => void): FrameRejection | null {
    for (;;) {
      if (this.pendingFrameBytes === 0) {
        if (this.bufferedCount < FRAME_HEADER_BYTES) return null;
        this.copyOut(this.headerScratch, FRAME_HEADER_BYTES);
        const rejection = this.readHeader(this.headerScratch, 0);
        if (rejection) return rejection;
      }
      if (this.bufferedCount < this.pendingFrameBytes) return null;
      const frame = this.take(this.pendingFrameBytes);
      const emitted = this.emit(frame.subarray(FRAME_HEADER_BYTES), onFrame);
      if (emitted) return emitted;
      if (this.bufferedCount === 0) return null;
      if (this.chunks.length === 1) {
        // Back on a single contiguous buffer: let the fast path finish it.
        const rest = this.chunks[0];
        this.chunks = [];
        this.bufferedCount = 0;
        return this.decodeFresh(rest, onFrame);
      }
    }
  }

  /** Validates the header at `offset`; on success records the pending frame's geometry. */
  private readHeader(source: Buffer, offset: number): FrameRejection | null {
    const version = source[offset];
    if (!this.acceptedVersions.includes(version)) {
      return this.fail('FRAME_VERSION', `unsupported protocol version ${version}`);
    }
    const payloadBytes = source.readUInt32BE(offset + 3);
    if (payloadBytes > this.maxFrameBytes) {
      return this.fail('FRAME_TOO_LARGE', `frame announces ${payloadBytes} bytes, limit is ${this.maxFrameBytes}`);
    }
    this.pendingVersion = version;
    this.pendingType = source.readUInt16BE(offset + 1);
    this.pendingChecksum = source.readUInt32BE(offset + 7);
    this.pendingFrameBytes = FRAME_HEADER_BYTES + payloadBytes;
    return null;
  }

  private emit(payload: Buffer, onFrame: (frame: Frame) => void): FrameRejection | null {
    if (crc32c(payload) !== this.pendingChecksum) {
      return this.fail('FRAME_CHECKSUM', `checksum mismatch on a ${payload.length}-byte frame of type ${this.pendingType}`);
    }
    const frame: Frame = { version: this.pendingVersion, type: this.pendingType, payload };
    this.pendingFrameBytes = 0;
    onFrame(frame);
    return null;
  }

  /** Copies the first `count` buffered bytes into `target` without consuming them. */
  private copyOut(target: Buffer, count: number): void {
    let copied = 0;
    for (const chunk of this.chunks) {
      const n = Math.min(chunk.length, count - copied);
      chunk.copy(target, copied, 0, n);
      copied += n;
      if (copied === count) return;
    }
  }

  /** Removes and returns the first `count` buffered bytes as one contiguous Buffer. */
  private take(count: number): Buffer {
    const first = this.chunks[0];
    let result: Buffer;
    if (first.length >= count) {
      result = first.subarray(0, count);
      if (first.length === count) this.chunks.shift();
      else this.chunks[0] = first.subarray(count);
    } else {
      result = Buffer.allocUnsafe(count);
      let filled = 0;
      while (filled < count) {
        const chunk = this.chunks[0];
        const n = Math.min(chunk.length, count - filled);
        chunk.copy(result, filled, 0, n);
        filled += n;
        if (n === chunk.length) this.chunks.shift();
        else this.chunks[0] = chunk.subarray(n);
      }
    }
    this.bufferedCount -= count;
    return result;
  }

  private fail(code: FrameRejection['code'], message: string): FrameRejection {
    this.failure = new P2pError(code, message) as FrameRejection;
    this.chunks = [];
    this.bufferedCount = 0;
    this.pendingFrameBytes = 0;
    return this.failure;
  }
}
