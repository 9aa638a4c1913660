import { AccordError } from '#common';

/** Error code for undecodable input. */
export const MALFORMED_CODE = 'RAFT_MESSAGE_MALFORMED';

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;

/**
 * A minimal protobuf wire-format writer (varints and length-delimited fields only). Integers
 * are handled arithmetically so values up to 2^53 - 1 survive.
 */
export class ProtoWriter {
  private buf = new Uint8Array(64);
  private len = 0;

  /** Writes a varint field; zero values are omitted, as in proto3. */
  uint(field: number, value: number): this {
    if (value === 0) return this;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new AccordError('RAFT_MESSAGE_INVALID', `field ${field}: ${value} is not a non-negative safe integer`);
    }
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  /** Writes a bool field (omitted when false). */
  bool(field: number, value: boolean): this {
    return this.uint(field, value ? 1 : 0);
  }

  /** Writes a length-delimited field; empty values are omitted unless `force`. */
  bytes(field: number, value: Uint8Array, force = false): this {
    if (value.byteLength === 0 && !force) return this;
    this.tag(field, WIRE_BYTES);
    this.varint(value.byteLength);
    this.ensure(value.byteLength);
    this.buf.set(value, this.len);
    this.len += value.byteLength;
    return this;
  }

  /** Writes a UTF-8 string field (omitted when empty). */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** The encoded bytes. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private varint(value: number): void {
    this.ensure(10);
    let rest = value;
    while (rest >= 0x80) {
      this.buf[this.len++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buf[this.len++] = rest;
  }

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.len + extra));
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }
}

/** One decoded field: a number for varints, bytes for length-delimited fields. */
export type ProtoField = { field: number; kind: 'uint'; value: number } | { field: number; kind: 'bytes'; value: Uint8Array };

/** Reads every field of a protobuf message, skipping fixed-width ones (unknown to us). */
export function readFields(bytes: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let pos = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (pos >= bytes.length) throw new AccordError(MALFORMED_CODE, 'truncated varint');
      const byte = bytes[pos++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (!Number.isSafeInteger(value)) throw new AccordError(MALFORMED_CODE, 'varint exceeds 2^53');
        return value;
      }
      scale *= 0x80;
    }
    throw new AccordError(MALFORMED_CODE, 'varint too long');
  };
  while (pos < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) throw new AccordError(MALFORMED_CODE, 'field number 0');
    if (wireType === WIRE_VARINT) {
      fields.push({ field, kind: 'uint', value: varint() });
    } else if (wireType === WIRE_BYTES) {
      const length = varint();
      if (pos + length > bytes.length) throw new AccordError(MALFORMED_CODE, 'truncated length-delimited field');
      fields.push({ field, kind: 'bytes', value: bytes.subarray(pos, pos + length) });
      pos += length;
    } else if (wireType === WIRE_FIXED64 || wireType === WIRE_FIXED32) {
      pos += wireType === WIRE_FIXED64 ? 8 : 4;
      if (pos > bytes.length) throw new AccordError(MALFORMED_CODE, 'truncated fixed field');
    } else {
      throw new AccordError(MALFORMED_CODE, `unsupported wire type ${wireType}`);
    }
  }
  return fields;
}
