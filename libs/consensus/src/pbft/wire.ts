/**
 * A minimal protobuf wire-format writer and reader (varints and length-delimited fields only),
 * enough for the PBFT messages. Writers emit fields in ascending field order and omit zero
 * values, which makes the encoding canonical; readers accept any field order and skip unknown
 * fields like any protobuf decoder.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;
/** A length below 2^35 fits a 5-byte varint; messages are far smaller. */
const MAX_LENGTH_PREFIX_BYTES = 5;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Thrown inside the decoder only; `decodePbftMessage` turns it into a typed result. */
export class WireFormatError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// Validator ids and chain ids repeat in every message; encoding them once saves most allocations.
const utf8Cache = new Map<string, Uint8Array>();
function encodeUtf8Cached(value: string): Uint8Array {
  let bytes = utf8Cache.get(value);
  if (bytes === undefined) {
    bytes = utf8Encoder.encode(value);
    if (utf8Cache.size < 4096 && value.length <= 256) utf8Cache.set(value, bytes);
  }
  return bytes;
}

/** Appends protobuf fields to a growing buffer. */
export class ProtoWriter {
  private buffer: Uint8Array;
  private length = 0;

  constructor(initialBytes = 128) {
    this.buffer = new Uint8Array(initialBytes);
  }

  /** Writes a uint64 field holding a non-negative safe integer; zero is omitted. */
  uint(field: number, value: number): this {
    if (value === 0) return this;
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  /** Writes a bytes field; empty arrays are omitted. */
  bytes(field: number, value: Uint8Array): this {
    if (value.length === 0) return this;
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(value.length);
    this.raw(value);
    return this;
  }

  /** Writes a string field as UTF-8; empty strings are omitted. */
  string(field: number, value: string): this {
    return this.bytes(field, encodeUtf8Cached(value));
  }

  /** Writes an embedded message field (always, even when empty, so repeated entries keep count). */
  message(field: number, encode: (writer: ProtoWriter) => void): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    // Reserve the longest length prefix, encode in place, then close the gap: one buffer, no copies
    // of nested bodies except a memmove, and the prefix stays minimal (canonical).
    this.ensure(MAX_LENGTH_PREFIX_BYTES);
    const prefixAt = this.length;
    this.length += MAX_LENGTH_PREFIX_BYTES;
    encode(this);
    const bodyLength = this.length - prefixAt - MAX_LENGTH_PREFIX_BYTES;
    this.length = prefixAt;
    this.varint(bodyLength);
    const bodyAt = prefixAt + MAX_LENGTH_PREFIX_BYTES;
    this.buffer.copyWithin(this.length, bodyAt, bodyAt + bodyLength);
    this.length += bodyLength;
    return this;
  }

  /** The bytes written so far. */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private varint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a uint: ${value}`);
    this.ensure(10);
    let rest = value;
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buffer[this.length++] = rest;
  }

  private raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}

/** One decoded field: its number and either a varint value or a length-delimited payload. */
export type ProtoField = { field: number; kind: 'varint'; value: number } | { field: number; kind: 'bytes'; value: Uint8Array };

/**
 * Splits a protobuf message body into fields. Fixed-width fields (unused by PBFT) are skipped;
 * anything malformed throws `WireFormatError`.
 */
export function readFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let offset = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (offset >= bytes.length) throw new WireFormatError('PBFT_DECODE_TRUNCATED', 'varint runs past the end');
      const byte = bytes[offset++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (!Number.isSafeInteger(value)) throw new WireFormatError('PBFT_DECODE_RANGE', 'varint exceeds 2^53');
        return value;
      }
      scale *= 0x80;
    }
    throw new WireFormatError('PBFT_DECODE_MALFORMED', 'varint longer than 10 bytes');
  };
  while (offset < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) throw new WireFormatError('PBFT_DECODE_MALFORMED', 'field number 0');
    if (wireType === WIRE_VARINT) {
      fields.push({ field, kind: 'varint', value: varint() });
    } else if (wireType === WIRE_LENGTH_DELIMITED) {
      const length = varint();
      if (length > bytes.length - offset) throw new WireFormatError('PBFT_DECODE_TRUNCATED', 'length-delimited field runs past the end');
      fields.push({ field, kind: 'bytes', value: bytes.subarray(offset, offset + length) });
      offset += length;
    } else if (wireType === WIRE_FIXED64 || wireType === WIRE_FIXED32) {
      offset += wireType === WIRE_FIXED64 ? 8 : 4;
      if (offset > bytes.length) throw new WireFormatError('PBFT_DECODE_TRUNCATED', 'fixed field runs past the end');
    } else {
      throw new WireFormatError('PBFT_DECODE_MALFORMED', `unsupported wire type ${wireType}`);
    }
  }
  return fields;
}

/** Views a Node Buffer (whose slice() aliases memory) as a plain Uint8Array, so slices are copies. */
export function asPlainBytes(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes UTF-8 strictly, reporting invalid sequences as a wire-format error. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new WireFormatError('PBFT_DECODE_MALFORMED', 'invalid UTF-8 string');
  }
}
