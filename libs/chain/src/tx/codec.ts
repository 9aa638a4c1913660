import { bytesEqual } from '../bytes.js';
import { ChainError, ChainErrorCode } from '../errors.js';
import { FieldMap, WireError } from '../wire/reader.js';
import { ProtoWriter } from '../wire/writer.js';
import { MemberRole, NodeRole, TxType, type TxBody, type TxPayload } from './types.js';

// Field numbers: see proto/accord.proto (TxBody, Transfer, Record, MemberAdd, MemberRef, SignedTx).
const BODY_FIELDS = { chainId: 1, type: 2, sender: 3, nonce: 4 } as const;
const PAYLOAD_FIELD_BY_TYPE: Readonly<Record<TxType, number>> = {
  [TxType.TRANSFER]: 5,
  [TxType.RECORD]: 6,
  [TxType.MEMBER_ADD]: 7,
  [TxType.MEMBER_SUSPEND]: 8,
  [TxType.MEMBER_REMOVE]: 9,
  [TxType.MEMBER_REINSTATE]: 10,
  [TxType.NODE_ADD]: 11,
  [TxType.NODE_PROMOTE]: 12,
  [TxType.NODE_REMOVE]: 13,
};
const TYPE_BY_PAYLOAD_FIELD = new Map<number, TxType>(
  Object.entries(PAYLOAD_FIELD_BY_TYPE).map(([type, field]) => [field, Number(type) as TxType]),
);
const PAYLOAD_FIELDS = [...TYPE_BY_PAYLOAD_FIELD.keys()];
const BODY_WIRE_TYPES = { 1: 2, 2: 0, 3: 2, 4: 0, 5: 2, 6: 2, 7: 2, 8: 2, 9: 2, 10: 2, 11: 2, 12: 2, 13: 2 } as const;
const TRANSFER_WIRE_TYPES = { 1: 2, 2: 0 } as const;
const SIGNED_TX_WIRE_TYPES = { 1: 2, 2: 2 } as const;

function encodePayload(payload: TxPayload): Uint8Array {
  const writer = new ProtoWriter(64);
  switch (payload.type) {
    case TxType.TRANSFER:
      return writer.bytes(1, payload.to).uint64(2, payload.amount).finish();
    case TxType.RECORD:
      return writer.string(1, payload.key).bytes(2, payload.value).finish();
    case TxType.MEMBER_ADD:
      return writer.bytes(1, payload.publicKey).uint32(2, payload.role).string(3, payload.organization).finish();
    case TxType.MEMBER_SUSPEND:
    case TxType.MEMBER_REMOVE:
    case TxType.MEMBER_REINSTATE:
      return writer.bytes(1, payload.publicKey).finish();
    case TxType.NODE_ADD:
      return writer
        .string(1, payload.nodeId)
        .string(2, payload.organization)
        .bytes(3, payload.consensusPublicKey)
        .bytes(4, payload.spkiSha256)
        .string(5, payload.p2pAddress)
        .string(6, payload.apiUrl)
        .uint32(7, payload.role)
        .finish();
    case TxType.NODE_PROMOTE:
    case TxType.NODE_REMOVE:
      return writer.string(1, payload.nodeId).finish();
  }
}

/** Canonical protobuf encoding of a `TxBody`: the bytes that are signed. */
export function encodeTxBody(body: TxBody): Uint8Array {
  const type = body.payload.type;
  return new ProtoWriter(160)
    .string(BODY_FIELDS.chainId, body.chainId)
    .uint32(BODY_FIELDS.type, type)
    .bytes(BODY_FIELDS.sender, body.sender)
    .uint64(BODY_FIELDS.nonce, body.nonce)
    .message(PAYLOAD_FIELD_BY_TYPE[type], encodePayload(body.payload), true)
    .finish();
}

/** Canonical protobuf encoding of a `SignedTx` {body, signature}. */
export function encodeSignedTx(bodyBytes: Uint8Array, signature: Uint8Array): Uint8Array {
  return new ProtoWriter(bodyBytes.length + 80).message(1, bodyBytes).bytes(2, signature).finish();
}

function decodePayload(type: TxType, bytes: Uint8Array): TxPayload {
  switch (type) {
    case TxType.TRANSFER: {
      const f = new FieldMap(bytes, TRANSFER_WIRE_TYPES);
      return { type, to: f.bytes(1), amount: f.uint64(2) };
    }
    case TxType.RECORD: {
      const f = new FieldMap(bytes, { 1: 2, 2: 2 });
      return { type, key: f.string(1), value: f.bytes(2) };
    }
    case TxType.MEMBER_ADD: {
      const f = new FieldMap(bytes, { 1: 2, 2: 0, 3: 2 });
      const role = f.uint32(2);
      if (role !== MemberRole.CLIENT && role !== MemberRole.VALIDATOR && role !== MemberRole.ORG_ADMIN) {
        throw new WireError(`unknown member role ${role}`);
      }
      return { type, publicKey: f.bytes(1), role, organization: f.string(3) };
    }
    case TxType.MEMBER_SUSPEND:
    case TxType.MEMBER_REMOVE:
    case TxType.MEMBER_REINSTATE: {
      const f = new FieldMap(bytes, { 1: 2 });
      return { type, publicKey: f.bytes(1) };
    }
    case TxType.NODE_ADD: {
      const f = new FieldMap(bytes, { 1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 0 });
      const role = f.uint32(7);
      if (role !== NodeRole.LEARNER && role !== NodeRole.OBSERVER) throw new WireError(`a node joins as learner or observer, not role ${role}`);
      return {
        type,
        nodeId: f.string(1),
        organization: f.string(2),
        consensusPublicKey: f.bytes(3),
        spkiSha256: f.bytes(4),
        p2pAddress: f.string(5),
        apiUrl: f.string(6),
        role,
      };
    }
    case TxType.NODE_PROMOTE:
    case TxType.NODE_REMOVE: {
      const f = new FieldMap(bytes, { 1: 2 });
      return { type, nodeId: f.string(1) };
    }
  }
}

/** Decodes a `TxBody`; throws ChainError MALFORMED_TX / UNKNOWN_TX_TYPE. */
export function decodeTxBody(bytes: Uint8Array): TxBody {
  try {
    const f = new FieldMap(bytes, BODY_WIRE_TYPES);
    const type = f.uint32(BODY_FIELDS.type);
    const payloadFields = PAYLOAD_FIELDS.filter((field) => f.has(field));
    if (payloadFields.length !== 1) throw new WireError(`expected exactly one payload, found ${payloadFields.length}`);
    const payloadType = TYPE_BY_PAYLOAD_FIELD.get(payloadFields[0]) as TxType;
    if (payloadType !== type) {
      throw new ChainError(ChainErrorCode.UNKNOWN_TX_TYPE, `type ${type} does not match its payload (${payloadType})`);
    }
    return {
      chainId: f.string(BODY_FIELDS.chainId),
      sender: f.bytes(BODY_FIELDS.sender),
      nonce: f.uint64(BODY_FIELDS.nonce),
      payload: decodePayload(payloadType, f.bytes(payloadFields[0])),
    };
  } catch (error) {
    if (error instanceof ChainError) throw error;
    throw new ChainError(ChainErrorCode.MALFORMED_TX, `malformed transaction body: ${(error as Error).message}`);
  }
}

/** The parts of a `SignedTx` as they appear on the wire. */
export interface SignedTxParts {
  bodyBytes: Uint8Array;
  signature: Uint8Array;
  body: TxBody;
}

/**
 * Decodes a `SignedTx` and insists that it is in canonical form (re-encoding gives the same
 * bytes), so that one transaction has exactly one encoding and therefore one hash.
 */
export function decodeSignedTx(bytes: Uint8Array): SignedTxParts {
  let bodyBytes: Uint8Array;
  let signature: Uint8Array;
  try {
    const f = new FieldMap(bytes, SIGNED_TX_WIRE_TYPES);
    bodyBytes = f.bytes(1);
    signature = f.bytes(2);
  } catch (error) {
    throw new ChainError(ChainErrorCode.MALFORMED_TX, `malformed transaction: ${(error as Error).message}`);
  }
  const body = decodeTxBody(bodyBytes);
  const canonicalBody = encodeTxBody(body);
  if (!bytesEqual(canonicalBody, bodyBytes) || !bytesEqual(encodeSignedTx(canonicalBody, signature), bytes)) {
    throw new ChainError(ChainErrorCode.NON_CANONICAL_ENCODING, 'transaction is not canonically encoded');
  }
  return { bodyBytes, signature, body };
}
