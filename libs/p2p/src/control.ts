import { P2pError } from './errors.js';
import { PROTOCOL_VERSION } from './frame.js';

/**
 * Message types from CONTROL_TYPE_MIN up are the transport's own; applications use types below
 * it (send/subscribe throw P2P_INVALID_TYPE otherwise).
 */
export const CONTROL_TYPE_MIN = 0xff00;

/** First frame on every connection, both ways: who I am and what I speak. */
export const HELLO_TYPE = 0xfffe;

/** Keep-alive frame, sent when a link has been idle for a heartbeat interval. Empty payload. */
export const PING_TYPE = 0xfffd;

/** Contents of a HELLO frame. */
export interface Hello {
  readonly nodeId: string;
  readonly protocolVersion: number;
}

/** Encodes a HELLO payload (JSON: it is sent once per connection, so readability wins). */
export function encodeHello(nodeId: string): Buffer {
  return Buffer.from(JSON.stringify({ nodeId, protocolVersion: PROTOCOL_VERSION } satisfies Hello));
}

/** Decodes a HELLO payload. Throws FRAME_TYPE on a malformed payload. */
export function decodeHello(payload: Buffer): Hello {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new P2pError('FRAME_TYPE', 'HELLO payload is not JSON', { cause: error });
  }
  const hello = parsed as Partial<Hello> | null;
  if (typeof hello !== 'object' || hello === null || typeof hello.nodeId !== 'string' || !Number.isInteger(hello.protocolVersion)) {
    throw new P2pError('FRAME_TYPE', 'HELLO payload must be {nodeId: string, protocolVersion: integer}');
  }
  return { nodeId: hello.nodeId, protocolVersion: hello.protocolVersion as number };
}
