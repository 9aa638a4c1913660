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

/**
 * Reads every top-level field of a protobuf message. Rejects truncated data, wire types other
 * than varint and length-delimited, over-long varints and values over 64 bits. Canonical form
 * (order, omitted defaults) is enforced by the message decoders re-encoding and comparing.
 */
export function readFields(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let offset = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (offset >= bytes.length) throw new WireError('truncated varint');
      const byte = bytes[offset++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) {
        if (result > 0xffff_ffff_ffff_ffffn) throw new WireError('varint exceeds 64 bits');
        return result;
      }
      shift += 7n;
    }
    throw new WireError('varint longer than 10 bytes');
  };
  while (offset < bytes.length) {
    const key = readVarint();
    const wireType = Number(key & 7n);
    const field = Number(key >> 3n);
    if (field < 1 || field > MAX_FIELD_NUMBER) throw new WireError(`invalid field number ${field}`);
    if (wireType === 0) {
      fields.push({ field, wireType: 0, value: readVarint() });
    } else if (wireType === 2) {
      const length = readVarint();
      if (length > BigInt(bytes.length - offset)) throw new WireError('length-delimited field overruns the message');
      const end = offset + Number(length);
      fields.push({ field, wireType: 2, value: bytes.subarray(offset, end) });
      offset = end;
    } else {
      throw new WireError(`unsupported wire type ${wireType} for field ${field}`);
    }
  }
  return fields;
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
      return new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw new WireError(`field ${field} is not valid UTF-8`);
    }
  }

  /** A repeated length-delimited field, in wire order. */
  readRepeated(field: number): Uint8Array[] {
    return this.repeated.get(field) ?? [];
  }
}
