import { crc32c } from './crc32c.js';
import { P2pError } from './errors.js';

/** Wire protocol version written in every frame header. */
export const PROTOCOL_VERSION = 1;

/** Bytes in a frame header: version u8, type u16, payload length u32, CRC-32C u32 (big-endian). */
export const FRAME_HEADER_BYTES = 11;

/** Default upper bound on a frame payload: 16 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Largest message type a frame can carry (u16). */
export const MAX_MESSAGE_TYPE = 0xffff;

/** A decoded frame. `payload` is a view into received bytes; copy it to keep it beyond the call. */
export interface Frame {
  /** Protocol version from the header. */
  readonly version: number;
  /** Message type (u16). */
  readonly type: number;
  /** Opaque payload bytes (a protobuf message to the caller). */
  readonly payload: Buffer;
}

/**
 * Writes the header of a frame carrying `payload` into `target` at `offset` (which must have
 * FRAME_HEADER_BYTES free bytes). Split from {@link encodeFrame} so a sender can write header and
 * payload straight into a batch buffer without an intermediate copy.
 */
export function writeFrameHeader(
  target: Buffer,
  offset: number,
  type: number,
  payload: Uint8Array,
  version = PROTOCOL_VERSION,
): void {
  target[offset] = version;
  target.writeUInt16BE(type, offset + 1);
  target.writeUInt32BE(payload.length, offset + 3);
  target.writeUInt32BE(crc32c(payload), offset + 7);
}

/** Throws P2P_INVALID_TYPE / FRAME_TOO_LARGE when a frame could not be sent as asked. */
export function assertEncodable(type: number, payloadBytes: number, maxFrameBytes: number): void {
  if (!Number.isInteger(type) || type < 0 || type > MAX_MESSAGE_TYPE) {
    throw new P2pError('P2P_INVALID_TYPE', `message type must be an integer in [0, 65535], got ${type}`);
  }
  if (payloadBytes > maxFrameBytes) {
    throw new P2pError('FRAME_TOO_LARGE', `payload of ${payloadBytes} bytes exceeds the ${maxFrameBytes}-byte frame limit`);
  }
}

/** Encodes one frame (header + payload) into a new Buffer. */
export function encodeFrame(
  type: number,
  payload: Uint8Array,
  options: { maxFrameBytes?: number; version?: number } = {},
): Buffer {
  assertEncodable(type, payload.length, options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  writeFrameHeader(frame, 0, type, payload, options.version);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}
