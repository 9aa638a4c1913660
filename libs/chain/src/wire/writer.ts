/**
 * A minimal protobuf (proto3) writer producing the canonical encoding: fields in ascending
 * field-number order (callers write them in that order), default values (0, empty) omitted,
 * shortest varints. Any protobuf library serialising the same message produces the same bytes.
 */
export class ProtoWriter {
  private buffer: Uint8Array;
  private length = 0;

  constructor(initialBytes = 256) {
    this.buffer = new Uint8Array(initialBytes);
  }

  private reserve(extraBytes: number): void {
    if (this.length + extraBytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extraBytes) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  private rawVarint(value: number): void {
    this.reserve(10);
    while (value > 0x7f) {
      this.buffer[this.length++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buffer[this.length++] = value;
  }

  private rawVarint64(value: bigint): void {
    // Values a double holds exactly (nonces, amounts in practice) skip BigInt arithmetic.
    if (value <= 0x1f_ffff_ffff_ffffn) return this.rawVarint(Number(value));
    this.reserve(10);
    while (value > 0x7fn) {
      this.buffer[this.length++] = Number(value & 0x7fn) | 0x80;
      value >>= 7n;
    }
    this.buffer[this.length++] = Number(value);
  }

  private tag(field: number, wireType: 0 | 2): void {
    this.rawVarint(field * 8 + wireType);
  }

  /** A uint32 / enum field (omitted when 0). */
  uint32(field: number, value: number): this {
    if (value !== 0) {
      this.tag(field, 0);
      this.rawVarint(value >>> 0);
    }
    return this;
  }

  /** A uint64 field (omitted when 0). */
  uint64(field: number, value: bigint): this {
    if (value !== 0n) {
      this.tag(field, 0);
      this.rawVarint64(BigInt.asUintN(64, value));
    }
    return this;
  }

  /** A bool field (omitted when false). */
  bool(field: number, value: boolean): this {
    return this.uint32(field, value ? 1 : 0);
  }

  /** A bytes field (omitted when empty). */
  bytes(field: number, value: Uint8Array): this {
    if (value.length > 0) this.lengthDelimited(field, value);
    return this;
  }

  /** A string field (omitted when empty). */
  string(field: number, value: string): this {
    if (value.length > 0) this.lengthDelimited(field, Buffer.from(value, 'utf8'));
    return this;
  }

  /**
   * An embedded message field. Written even when empty when `always` is set, so that a oneof
   * case with an all-default message is still distinguishable.
   */
  message(field: number, encoded: Uint8Array, always = false): this {
    if (encoded.length > 0 || always) this.lengthDelimited(field, encoded);
    return this;
  }

  /** A repeated bytes / message element (written even when empty: position matters). */
  repeatedBytes(field: number, value: Uint8Array): this {
    this.lengthDelimited(field, value);
    return this;
  }

  private lengthDelimited(field: number, value: Uint8Array): void {
    this.tag(field, 2);
    this.rawVarint(value.length);
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  /** The bytes written so far (a copy that owns its memory). */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
