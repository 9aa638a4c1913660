import { toHex, utf8 } from '../bytes.js';
import { addressOf, PUBLIC_KEY_BYTES, ADDRESS_BYTES } from '../crypto/keys.js';
import { SIGNATURE_BYTES, signDigest, verifyDigest } from '../crypto/signature.js';
import { ChainError, ChainErrorCode } from '../errors.js';
import { sha256 } from '../hash.js';
import { decodeSignedTx, encodeSignedTx, encodeTxBody } from './codec.js';
import { txSigningDigest } from './signing.js';
import { MAX_UINT64, TxType, type TxBody } from './types.js';

/** Size limits checked before any state is consulted. */
export interface TxLimits {
  /** Largest accepted signed encoding. */
  maxTxBytes: number;
  /** Largest record value. */
  maxRecordValueBytes: number;
}

/** Defaults used when the genesis does not set limits. */
export const DEFAULT_TX_LIMITS: TxLimits = { maxTxBytes: 8192, maxRecordValueBytes: 4096 };

const MAX_CHAIN_ID_BYTES = 64;
const MAX_RECORD_KEY_BYTES = 128;
const MAX_ORGANIZATION_BYTES = 128;
// Printable ASCII without spaces, plus '/', so keys can be paths; no control characters.
const RECORD_KEY_PATTERN = /^[\x21-\x7e]+$/;
// Node ids appear in logs, metrics labels and URLs: keep them plain.
const NODE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HOST_PORT_PATTERN = /^[A-Za-z0-9.[\]:-]{1,253}:\d{1,5}$/;
const MAX_URL_BYTES = 256;
const SPKI_SHA256_BYTES = 32;

function fail(code: ChainErrorCode, message: string): never {
  throw new ChainError(code, message);
}

function checkNodeId(nodeId: string): void {
  if (!NODE_ID_PATTERN.test(nodeId)) fail(ChainErrorCode.BAD_NODE_INFO, 'node id must be 1..64 letters, digits, dots, dashes or underscores');
}

function isHttpUrl(text: string): boolean {
  if (utf8(text).length > MAX_URL_BYTES) return false;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function checkBody(body: TxBody, limits: TxLimits): void {
  const chainIdLength = utf8(body.chainId).length;
  if (chainIdLength === 0 || chainIdLength > MAX_CHAIN_ID_BYTES) fail(ChainErrorCode.MALFORMED_TX, 'chainId must be 1..64 bytes');
  if (body.sender.length !== PUBLIC_KEY_BYTES || (body.sender[0] !== 2 && body.sender[0] !== 3)) {
    fail(ChainErrorCode.BAD_PUBLIC_KEY, 'sender must be a 33-byte compressed secp256k1 public key');
  }
  if (body.nonce < 0n || body.nonce > MAX_UINT64) fail(ChainErrorCode.MALFORMED_TX, 'nonce must be an unsigned 64-bit integer');
  const payload = body.payload;
  switch (payload.type) {
    case TxType.TRANSFER:
      if (payload.to.length !== ADDRESS_BYTES) fail(ChainErrorCode.BAD_ADDRESS, 'recipient must be a 20-byte address');
      if (payload.amount <= 0n) fail(ChainErrorCode.AMOUNT_ZERO, 'amount must be greater than zero');
      if (payload.amount > MAX_UINT64) fail(ChainErrorCode.AMOUNT_OVER_LIMIT, 'amount exceeds 64 bits');
      return;
    case TxType.RECORD: {
      const keyBytes = utf8(payload.key).length;
      if (keyBytes === 0 || keyBytes > MAX_RECORD_KEY_BYTES || !RECORD_KEY_PATTERN.test(payload.key)) {
        fail(ChainErrorCode.BAD_RECORD_KEY, 'record key must be 1..128 printable ASCII characters without spaces');
      }
      if (payload.value.length > limits.maxRecordValueBytes) {
        fail(ChainErrorCode.PAYLOAD_TOO_LARGE, `record value exceeds ${limits.maxRecordValueBytes} bytes`);
      }
      return;
    }
    case TxType.MEMBER_ADD:
      if (utf8(payload.organization).length > MAX_ORGANIZATION_BYTES) fail(ChainErrorCode.MALFORMED_TX, 'organization too long');
      if (payload.publicKey.length !== PUBLIC_KEY_BYTES) fail(ChainErrorCode.BAD_PUBLIC_KEY, 'member key must be 33 bytes');
      return;
    case TxType.MEMBER_SUSPEND:
    case TxType.MEMBER_REMOVE:
    case TxType.MEMBER_REINSTATE:
      if (payload.publicKey.length !== PUBLIC_KEY_BYTES) fail(ChainErrorCode.BAD_PUBLIC_KEY, 'member key must be 33 bytes');
      return;
    case TxType.NODE_ADD:
      checkNodeId(payload.nodeId);
      if (utf8(payload.organization).length > MAX_ORGANIZATION_BYTES) fail(ChainErrorCode.MALFORMED_TX, 'organization too long');
      if (payload.consensusPublicKey.length !== PUBLIC_KEY_BYTES) fail(ChainErrorCode.BAD_PUBLIC_KEY, 'consensus key must be 33 bytes');
      if (payload.spkiSha256.length !== SPKI_SHA256_BYTES) fail(ChainErrorCode.BAD_NODE_INFO, 'spkiSha256 must be 32 bytes');
      if (!HOST_PORT_PATTERN.test(payload.p2pAddress)) fail(ChainErrorCode.BAD_NODE_INFO, 'p2pAddress must be host:port');
      if (!isHttpUrl(payload.apiUrl)) fail(ChainErrorCode.BAD_NODE_INFO, 'apiUrl must be an http(s) URL');
      return;
    case TxType.NODE_PROMOTE:
    case TxType.NODE_REMOVE:
      checkNodeId(payload.nodeId);
      return;
    default:
      fail(ChainErrorCode.UNKNOWN_TX_TYPE, 'unknown transaction type');
  }
}

/**
 * An immutable, structurally valid signed transaction. Construction checks everything that
 * needs no state and no signature verification (shapes, sizes, canonical encoding); the
 * signature is checked by `verifySignature()` (or in bulk by the mempool's verifier); nonce,
 * balance and membership are checked by the state transition.
 */
export class Transaction {
  /** The decoded body. */
  readonly body: TxBody;
  /** The canonical encoding of the body: what is signed. */
  readonly bodyBytes: Uint8Array;
  /** 64-byte compact secp256k1 signature (r ‖ s), low-S. */
  readonly signature: Uint8Array;
  /** The canonical encoding of the whole signed transaction: what is hashed and stored. */
  readonly bytes: Uint8Array;
  private cachedHash?: Uint8Array;
  private cachedHashHex?: string;
  private cachedDigest?: Uint8Array;
  private cachedSenderAddress?: Uint8Array;

  private constructor(body: TxBody, bodyBytes: Uint8Array, signature: Uint8Array, bytes: Uint8Array, limits: TxLimits) {
    if (bytes.length > limits.maxTxBytes) fail(ChainErrorCode.TX_TOO_LARGE, `transaction exceeds ${limits.maxTxBytes} bytes`);
    if (signature.length !== SIGNATURE_BYTES) fail(ChainErrorCode.BAD_SIGNATURE, 'signature must be 64 bytes (compact r||s)');
    checkBody(body, limits);
    this.body = body;
    this.bodyBytes = bodyBytes;
    this.signature = signature;
    this.bytes = bytes;
  }

  /** Decodes and checks a signed transaction received from outside. */
  static fromBytes(bytes: Uint8Array, limits: TxLimits = DEFAULT_TX_LIMITS): Transaction {
    if (bytes.length > limits.maxTxBytes) fail(ChainErrorCode.TX_TOO_LARGE, `transaction exceeds ${limits.maxTxBytes} bytes`);
    const parts = decodeSignedTx(bytes);
    return new Transaction(parts.body, parts.bodyBytes, parts.signature, bytes, limits);
  }

  /** Encodes and signs `body` with `privateKey` (whose public key must be `body.sender`). */
  static sign(body: TxBody, privateKey: Uint8Array, limits: TxLimits = DEFAULT_TX_LIMITS): Transaction {
    const bodyBytes = encodeTxBody(body);
    const signature = signDigest(txSigningDigest(body.chainId, bodyBytes), privateKey);
    return new Transaction(body, bodyBytes, signature, encodeSignedTx(bodyBytes, signature), limits);
  }

  /** Assembles a transaction from a body and a signature made elsewhere (HSM, other SDK). */
  static fromParts(body: TxBody, signature: Uint8Array, limits: TxLimits = DEFAULT_TX_LIMITS): Transaction {
    const bodyBytes = encodeTxBody(body);
    return new Transaction(body, bodyBytes, signature, encodeSignedTx(bodyBytes, signature), limits);
  }

  /** SHA-256 of `bytes`: the transaction's identity. */
  get hash(): Uint8Array {
    this.cachedHash ??= sha256(this.bytes);
    return this.cachedHash;
  }

  /** Lowercase hex of `hash`. */
  get hashHex(): string {
    this.cachedHashHex ??= toHex(this.hash);
    return this.cachedHashHex;
  }

  /** The digest the signature covers (see `txSigningDigest`). */
  get signingDigest(): Uint8Array {
    this.cachedDigest ??= txSigningDigest(this.body.chainId, this.bodyBytes);
    return this.cachedDigest;
  }

  /** The sender's 20-byte address. */
  get senderAddress(): Uint8Array {
    this.cachedSenderAddress ??= addressOf(this.body.sender);
    return this.cachedSenderAddress;
  }

  /** Verifies the signature against the sender key (native libsecp256k1 when loaded). */
  verifySignature(): boolean {
    return verifyDigest(this.signature, this.signingDigest, this.body.sender);
  }
}
