/** Why a protobuf decode failed; callers turn it into their own error code. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

/** Protobuf wire types this codec accepts. */
export type WireType = 0 | 2;

/** One decoded field: its number, wire type and value (varint as bigint, or bytes). */
export type WireField =
  | { field: number; wireType: 0; value: bigint }
  | { field: number; wireType: 2; value: Uint8Array };

const MAX_FIELD_NUMBER = 536_870_911;

// Stateless between calls (no streaming), so one decoder serves every string field.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads every top-level field of a protobuf message. Rejects truncated data, wire types other
 * than varint and length-delimited, over-long varints and values over 64 bits. Canonical form
 * (order, omitted defaults) is enforced by the message decoders re-encoding and comparing.
 */
export function readFields(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  const cursor: Cursor = { bytes, offset: 0 };
  while (cursor.offset < bytes.length) {
    const key = readVarint(cursor);
    if (typeof key === 'bigint') throw new WireError(`invalid field number ${key >> 3n}`);
    const wireType = key % 8;
    const field = Math.floor(key / 8);
    if (field < 1 || field > MAX_FIELD_NUMBER) throw new WireError(`invalid field number ${field}`);
    if (wireType === 0) {
      const value = readVarint(cursor);
      fields.push({ field, wireType: 0, value: typeof value === 'bigint' ? value : BigInt(value) });
    } else if (wireType === 2) {
      const length = readVarint(cursor);
      if (typeof length === 'bigint' || length > bytes.length - cursor.offset) throw new WireError('length-delimited field overruns the message');
      const end = cursor.offset + length;
      fields.push({ field, wireType: 2, value: bytes.subarray(cursor.offset, end) });
      cursor.offset = end;
    } else {
      throw new WireError(`unsupported wire type ${wireType} for field ${field}`);
    }
  }
  return fields;
}

interface Cursor {
  bytes: Uint8Array;
  offset: number;
}

/**
 * Reads a varint. Up to 7 bytes (49 bits) are exact as doubles: keys, lengths and most values
 * are read without BigInt arithmetic; longer ones come back as bigint.
 */
function readVarint(cursor: Cursor): number | bigint {
  const { bytes } = cursor;
  const start = cursor.offset;
  let value = 0;
  let factor = 1;
  for (let i = 0; i < 7; i++) {
    if (cursor.offset >= bytes.length) throw new WireError('truncated varint');
    const byte = bytes[cursor.offset++];
    value += (byte & 0x7f) * factor;
    if ((byte & 0x80) === 0) return value;
    factor *= 128;
  }
  cursor.offset = start;
  return readLongVarint(cursor);
}

function readLongVarint(cursor: Cursor): bigint {
  const { bytes } = cursor;
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (cursor.offset >= bytes.length) throw new WireError('truncated varint');
    const byte = bytes[cursor.offset++];
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) {
      if (result > 0xffff_ffff_ffff_ffffn) throw new WireError('varint exceeds 64 bits');
      return result;
    }
    shift += 7n;
  }
  throw new WireError('varint longer than 10 bytes');
}

/**
 * Indexes fields by number for message decoders: each field at most once (repeated fields are
 * read with `readRepeated`), with the expected wire type, and no unknown fields.
 */
export class FieldMap {
  private readonly byNumber = new Map<number, WireField>();
  private readonly repeated = new Map<number, Uint8Array[]>();

  constructor(bytes: Uint8Array, known: Readonly<Record<number, WireType>>, repeatedFields: readonly number[] = []) {
    for (const entry of readFields(bytes)) {
      const expected = known[entry.field];
      if (expected === undefined) throw new WireError(`unknown field ${entry.field}`);
      if (expected !== entry.wireType) throw new WireError(`field ${entry.field} has wire type ${entry.wireType}`);
      if (repeatedFields.includes(entry.field)) {
        if (entry.wireType !== 2) throw new WireError(`repeated field ${entry.field} must be length-delimited`);
        const list = this.repeated.get(entry.field) ?? [];
        list.push(entry.value);
        this.repeated.set(entry.field, list);
        continue;
      }
      if (this.byNumber.has(entry.field)) throw new WireError(`field ${entry.field} appears twice`);
      this.byNumber.set(entry.field, entry);
    }
  }

  /** A uint64 field (0 when absent). */
  uint64(field: number): bigint {
    const entry = this.byNumber.get(field);
    return entry?.wireType === 0 ? entry.value : 0n;
  }

  /** A uint32 / enum field (0 when absent); rejects values over 32 bits. */
  uint32(field: number): number {
    const value = this.uint64(field);
    if (value > 0xffff_ffffn) throw new WireError(`field ${field} exceeds 32 bits`);
    return Number(value);
  }

  /** A bytes field (empty when absent). */
  bytes(field: number): Uint8Array {
    const entry = this.byNumber.get(field);
    return entry?.wireType === 2 ? entry.value : new Uint8Array(0);
  }

  /** Whether a field was present on the wire (for oneof cases). */
  has(field: number): boolean {
    return this.byNumber.has(field);
  }

  /** A UTF-8 string field (empty when absent); rejects invalid UTF-8. */
  string(field: number): string {
    const raw = this.bytes(field);
    try {
      return UTF8.decode(raw);
    } catch {
      throw new WireError(`field ${field} is not valid UTF-8`);
    }
  }

  /** A repeated length-delimited field, in wire order. */
  readRepeated(field: number): Uint8Array[] {
    return this.repeated.get(field) ?? [];
  }
}
