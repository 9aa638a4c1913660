import fc from 'fast-check';
import { expect } from 'vitest';
import { WireError } from '#chain';
import { isAccordError } from '#common';

/** A decoder under fuzzing and how its accepted values are written back. */
export interface DecoderUnderTest<T> {
  name: string;
  decode(bytes: Uint8Array): T;
  encode(value: T): Uint8Array;
  /** Valid values, whose encodings are mutated. */
  valid: fc.Arbitrary<T>;
  /** A comparable form of a value (defaults to the value itself). */
  view?(value: T): unknown;
}

/** Whether an error is one the decoders promise: a wire-format or domain error with a code. */
export function isTypedDecodeError(error: unknown): boolean {
  return error instanceof WireError || isAccordError(error);
}

/** Random protobuf-shaped bytes: plausible tags with every wire type, lengths that may lie. */
export const protobufShaped: fc.Arbitrary<Uint8Array> = fc
  .array(
    fc.record({
      field: fc.oneof(fc.integer({ min: 0, max: 16 }), fc.constantFrom(536_870_911, 536_870_912, 2 ** 32)),
      wireType: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 2) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 7 }) }),
      varint: fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n + 5n }), fc.constantFrom(0n, 1n, 2n ** 31n, 2n ** 32n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n)),
      payload: fc.uint8Array({ maxLength: 40 }),
      lie: fc.integer({ min: -3, max: 3 }),
    }),
    { maxLength: 8 },
  )
  .map((fields) => {
    const out: number[] = [];
    const varint = (value: bigint): void => writeVarint(out, value);
    for (const f of fields) {
      varint(BigInt(f.field) * 8n + BigInt(f.wireType));
      if (f.wireType === 0) varint(f.varint);
      else if (f.wireType === 2) {
        varint(BigInt(Math.max(0, f.payload.length + f.lie)));
        out.push(...f.payload);
      } else if (f.wireType === 1 || f.wireType === 5) out.push(...f.payload.subarray(0, f.wireType === 1 ? 8 : 4));
    }
    return Uint8Array.from(out);
  });

function writeVarint(out: number[], value: bigint): void {
  let rest = value;
  while (rest > 0x7fn) {
    out.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  out.push(Number(rest));
}

/** Top-level protobuf fields of `bytes`, or undefined when it does not parse as varint and length-delimited fields. */
function topLevelFields(bytes: Uint8Array): Array<{ key: bigint; varint?: bigint; payload?: Uint8Array }> | undefined {
  const fields: Array<{ key: bigint; varint?: bigint; payload?: Uint8Array }> = [];
  let offset = 0;
  const varint = (): bigint | undefined => {
    let value = 0n;
    for (let shift = 0n; offset < bytes.length && shift < 70n; shift += 7n) {
      const byte = bytes[offset++];
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
    return undefined;
  };
  while (offset < bytes.length) {
    const key = varint();
    if (key === undefined) return undefined;
    if ((key & 7n) === 0n) {
      const value = varint();
      if (value === undefined) return undefined;
      fields.push({ key, varint: value });
    } else if ((key & 7n) === 2n) {
      const length = varint();
      if (length === undefined || offset + Number(length) > bytes.length) return undefined;
      fields.push({ key, payload: bytes.subarray(offset, offset + Number(length)) });
      offset += Number(length);
    } else {
      return undefined;
    }
  }
  return fields;
}

/** Values just past what the decoded types hold: 2^31, 2^32, 2^53, 2^63, 2^64 - 1. */
const EXTREME_VARINTS = [2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n];

/** A valid encoding with one varint field set to an extreme value (the shape stays valid). */
export function withExtremeVarint(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  const fields = topLevelFields(valid);
  const varints = fields?.map((f, i) => (f.varint !== undefined ? i : -1)).filter((i) => i >= 0) ?? [];
  if (!fields || varints.length === 0) return fc.constant(valid);
  return fc.tuple(fc.constantFrom(...varints), fc.constantFrom(...EXTREME_VARINTS)).map(([index, extreme]) => {
    const out: number[] = [];
    fields.forEach((field, i) => {
      writeVarint(out, field.key);
      if (field.payload) {
        writeVarint(out, BigInt(field.payload.length));
        out.push(...field.payload);
      } else writeVarint(out, i === index ? extreme : (field.varint ?? 0n));
    });
    return Uint8Array.from(out);
  });
}

/** A valid encoding damaged once: bit flips, truncation, insertion, deletion, duplication, appended junk. */
export function mutated(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  const at = fc.nat({ max: Math.max(0, valid.length) });
  return fc.oneof(
    fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 })).map(([flips]) => {
      const copy = valid.slice();
      for (const [position, mask] of flips) if (copy.length) copy[position % copy.length] ^= mask;
      return copy;
    }),
    at.map((n) => valid.slice(0, n)),
    fc.tuple(at, fc.uint8Array({ minLength: 1, maxLength: 12 })).map(([n, junk]) => Uint8Array.from([...valid.subarray(0, n), ...junk, ...valid.subarray(n)])),
    fc.tuple(at, fc.integer({ min: 1, max: 16 })).map(([n, count]) => Uint8Array.from([...valid.subarray(0, n), ...valid.subarray(n + count)])),
    fc.tuple(at, at).map(([a, b]) => Uint8Array.from([...valid, ...valid.subarray(Math.min(a, b), Math.max(a, b))])),
    fc.uint8Array({ minLength: 1, maxLength: 16 }).map((junk) => Uint8Array.from([...valid, ...junk])),
    withExtremeVarint(valid),
    withExtremeVarint(valid),
  );
}

/**
 * Random bytes, protobuf-shaped junk and mutated valid encodings all either decode to a value
 * whose canonical encoding decodes back to the same value (and re-encodes to the same bytes),
 * or throw a typed error: never another exception type.
 */
export function fuzzDecoder<T>(decoder: DecoderUnderTest<T>, parameters: { seed: number; numRuns: number }): void {
  const view = decoder.view ?? ((value: T) => value);
  const input = fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    protobufShaped,
    decoder.valid.chain((value) => mutated(decoder.encode(value))),
    decoder.valid.map((value) => decoder.encode(value)),
  );
  fc.assert(
    fc.property(input, (bytes) => {
      let value: T;
      try {
        value = decoder.decode(bytes);
      } catch (error) {
        expect(isTypedDecodeError(error), `${decoder.name} threw ${String(error)}`).toBe(true);
        return;
      }
      const canonical = decoder.encode(value);
      const again = decoder.decode(canonical);
      expect(view(again), `${decoder.name}: the canonical re-encoding decodes to something else`).toEqual(view(value));
      expect(decoder.encode(again), `${decoder.name}: encoding is not deterministic`).toEqual(canonical);
    }),
    parameters,
  );
}
