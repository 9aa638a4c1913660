import { sha256 } from '@noble/hashes/sha2.js';
import { encodePbftMessage } from './codec.js';
import type { PbftAuthenticator, PbftMessage, PbftMessageType } from './types.js';

/**
 * Canonical signing bytes of PBFT messages.
 *
 * Every message is signed over one fixed layout, so a signature made for one chain, message
 * type, view, height, block or sender can never be replayed as another:
 *
 *   "ACCORD/PBFT/1" 0x00            domain separation from every other signature in Accord
 *   u16 len || chainId (UTF-8)      a vote on one chain is worthless on another
 *   u8 type                         1 pre-prepare, 2 prepare, 3 commit, 4 checkpoint, 5 view-change, 6 new-view
 *   u64 view                        big-endian; 0 for checkpoints (they are view-independent)
 *   u64 height                      big-endian; stable checkpoint height for view-change, 0 for new-view
 *   u8 len || digest                the block digest; for view-change and new-view, SHA-256 of the
 *                                   message's canonical encoding with an empty signature, which
 *                                   binds every nested certificate and re-proposal
 *   u16 len || sender (UTF-8)       a signature is bound to the identity that claims it
 *
 * A pre-prepare's signature covers the block digest, not the block bytes; replicas check that
 * the bytes hash to the digest through the application's validator.
 */

const DOMAIN_TAG = new TextEncoder().encode('ACCORD/PBFT/1\u0000');
const utf8 = new TextEncoder();
const utf8Cache = new Map<string, Uint8Array>();

// Chain and validator ids repeat in every signature; encode each once.
function encodeUtf8(value: string): Uint8Array {
  let bytes = utf8Cache.get(value);
  if (bytes === undefined) {
    bytes = utf8.encode(value);
    if (utf8Cache.size < 4096 && value.length <= 256) utf8Cache.set(value, bytes);
  }
  return bytes;
}

/** The numeric tag of each message type inside the signing bytes (stable, part of the protocol). */
export const SIGNING_TYPE_CODE: Readonly<Record<PbftMessageType, number>> = Object.freeze({
  'pre-prepare': 1,
  prepare: 2,
  commit: 3,
  checkpoint: 4,
  'view-change': 5,
  'new-view': 6,
});

/** A PBFT message before its signature is attached. */
export type UnsignedPbftMessage = PbftMessage extends infer M ? (M extends PbftMessage ? Omit<M, 'signature'> : never) : never;

/** The fields that make up the signing bytes. */
export interface SigningFields {
  readonly chainId: string;
  readonly type: PbftMessageType;
  readonly view: number;
  readonly height: number;
  readonly digest: Uint8Array;
  readonly sender: string;
}

/** Lays out the signing bytes from their fields (see the module comment for the format). */
export function signingBytesOf(fields: SigningFields): Uint8Array {
  const chainId = encodeUtf8(fields.chainId);
  const sender = encodeUtf8(fields.sender);
  if (chainId.length > 0xffff || sender.length > 0xffff || fields.digest.length > 0xff) {
    throw new RangeError('signing field too long');
  }
  const out = new Uint8Array(DOMAIN_TAG.length + 2 + chainId.length + 1 + 8 + 8 + 1 + fields.digest.length + 2 + sender.length);
  const view = new DataView(out.buffer);
  let offset = 0;
  out.set(DOMAIN_TAG, offset);
  offset += DOMAIN_TAG.length;
  view.setUint16(offset, chainId.length);
  out.set(chainId, offset + 2);
  offset += 2 + chainId.length;
  out[offset++] = SIGNING_TYPE_CODE[fields.type];
  view.setBigUint64(offset, BigInt(fields.view));
  view.setBigUint64(offset + 8, BigInt(fields.height));
  offset += 16;
  out[offset++] = fields.digest.length;
  out.set(fields.digest, offset);
  offset += fields.digest.length;
  view.setUint16(offset, sender.length);
  out.set(sender, offset + 2);
  return out;
}

/** The signing bytes of `message` on chain `chainId`; its `signature` field, if any, is ignored. */
export function pbftSigningBytes(chainId: string, message: UnsignedPbftMessage | PbftMessage): Uint8Array {
  switch (message.type) {
    case 'pre-prepare':
    case 'prepare':
    case 'commit':
      return signingBytesOf({ chainId, type: message.type, view: message.view, height: message.height, digest: message.digest, sender: message.sender });
    case 'checkpoint':
      return signingBytesOf({ chainId, type: message.type, view: 0, height: message.height, digest: message.digest, sender: message.sender });
    case 'view-change':
      return signingBytesOf({ chainId, type: message.type, view: message.view, height: message.stableHeight, digest: bodyDigest(message), sender: message.sender });
    case 'new-view':
      return signingBytesOf({ chainId, type: message.type, view: message.view, height: 0, digest: bodyDigest(message), sender: message.sender });
  }
}

/** Signs an unsigned message with the local key and returns the complete message. */
export function signPbftMessage<M extends PbftMessage>(chainId: string, unsigned: Omit<M, 'signature'>, authenticator: PbftAuthenticator): M {
  const signature = authenticator.sign(pbftSigningBytes(chainId, unsigned as UnsignedPbftMessage));
  return { ...unsigned, signature } as M;
}

/** True when `message.signature` is its sender's valid signature; never throws. */
export function verifyPbftSignature(chainId: string, message: PbftMessage, authenticator: PbftAuthenticator): boolean {
  let bytes: Uint8Array;
  try {
    bytes = pbftSigningBytes(chainId, message);
  } catch {
    return false;
  }
  return authenticator.verify(message.sender, bytes, message.signature);
}

function bodyDigest(message: UnsignedPbftMessage | PbftMessage): Uint8Array {
  return sha256(encodePbftMessage({ ...message, signature: new Uint8Array(0) } as PbftMessage));
}
