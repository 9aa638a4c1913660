import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameDecoder } from './frame-decoder.js';
import { FRAME_HEADER_BYTES, encodeFrame, type Frame } from './frame.js';
import { isAccordError } from '#common';

/** Fixed seed: CI runs must be reproducible; raise numRuns locally to search harder. */
const RUNS = { seed: 0x5eed_1124, numRuns: 300 };

const MAX = 512;

interface Sent {
  type: number;
  payload: Uint8Array;
}

const frameArb: fc.Arbitrary<Sent> = fc.record({
  type: fc.integer({ min: 0, max: 0xffff }),
  payload: fc.oneof(
    fc.uint8Array({ maxLength: 40 }),
    fc.uint8Array({ minLength: MAX - 2, maxLength: MAX }),
  ),
});

/** Cuts `bytes` at the given (sorted, deduplicated) offsets. */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const offsets = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const offset of offsets) {
    pieces.push(bytes.subarray(start, offset));
    start = offset;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

/** Feeds chunks, collecting frames and checking the buffering bound after every chunk. */
function feed(decoder: FrameDecoder, chunks: Uint8Array[]): { frames: Frame[]; error: unknown } {
  const frames: Frame[] = [];
  let error: unknown = null;
  for (const chunk of chunks) {
    const rejection = decoder.push(chunk, (frame) => frames.push({ ...frame, payload: Buffer.from(frame.payload) }));
    expect(decoder.bufferedBytes).toBeLessThanOrEqual(MAX + FRAME_HEADER_BYTES);
    if (rejection) {
      error = rejection;
      break;
    }
  }
  return { frames, error };
}

describe('FrameDecoder', () => {
  it('decodes valid frames split and merged at arbitrary chunk boundaries to exactly the frames sent', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 30 }), (sent, cuts) => {
        const stream = Buffer.concat(sent.map((f) => encodeFrame(f.type, f.payload, { maxFrameBytes: MAX })));
        const { frames, error } = feed(new FrameDecoder({ maxFrameBytes: MAX }), split(stream, cuts));
        expect(error).toBeNull();
        expect(frames.map((f) => ({ type: f.type, payload: new Uint8Array(f.payload) }))).toEqual(
          sent.map((f) => ({ type: f.type, payload: new Uint8Array(f.payload) })),
        );
      }),
      RUNS,
    );
  });

  it('never throws on random bytes and never buffers more than one maximal frame', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 700 }), { maxLength: 20 }), (chunks) => {
        const decoder = new FrameDecoder({ maxFrameBytes: MAX });
        const { error } = feed(decoder, chunks);
        if (error !== null) {
          expect(isAccordError(error)).toBe(true);
          expect(['FRAME_TOO_LARGE', 'FRAME_CHECKSUM', 'FRAME_VERSION']).toContain((error as { code: string }).code);
          // A failed decoder stays failed and holds nothing.
          expect(decoder.push(Buffer.from([1, 2, 3]), () => undefined)).toBe(error);
          expect(decoder.bufferedBytes).toBe(0);
        }
      }),
      RUNS,
    );
  });

  it('survives a valid stream with one byte corrupted anywhere, split anywhere', () => {
    fc.assert(
      fc.property(
        fc.array(frameArb, { minLength: 1, maxLength: 6 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (sent, at, mask, cuts) => {
          const stream = Buffer.concat(sent.map((f) => encodeFrame(f.type, f.payload, { maxFrameBytes: MAX })));
          stream[at % stream.length] ^= mask;
          const decoder = new FrameDecoder({ maxFrameBytes: MAX });
          const { frames, error } = feed(decoder, split(stream, cuts));
          // A flipped type byte still decodes, a grown length leaves the stream waiting for more
          // bytes; anything else must be detected.
          expect(error !== null || frames.length === sent.length || decoder.bufferedBytes > 0).toBe(true);
          expect(frames.length).toBeLessThanOrEqual(sent.length);
        },
      ),
      RUNS,
    );
  });

  it.each([0, 1, MAX])('accepts a %i-byte payload fed one byte at a time', (length) => {
    const payload = Buffer.alloc(length, 7);
    const bytes = encodeFrame(42, payload, { maxFrameBytes: MAX });
    const { frames, error } = feed(new FrameDecoder({ maxFrameBytes: MAX }), [...bytes].map((b) => Buffer.from([b])));
    expect(error).toBeNull();
    expect(frames).toHaveLength(1);
    expect(frames[0].type).toBe(42);
    expect(frames[0].payload.equals(payload)).toBe(true);
  });

  it('rejects a max+1 length as soon as the header arrives, before any payload', () => {
    const header = encodeFrame(1, Buffer.alloc(MAX + 1), { maxFrameBytes: MAX + 1 }).subarray(0, FRAME_HEADER_BYTES);
    const decoder = new FrameDecoder({ maxFrameBytes: MAX });
    expect(decoder.push(header.subarray(0, FRAME_HEADER_BYTES - 1), () => undefined)).toBeNull();
    const rejection = decoder.push(header.subarray(FRAME_HEADER_BYTES - 1), () => undefined);
    expect(rejection?.code).toBe('FRAME_TOO_LARGE');
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('rejects a corrupted checksum, whatever byte of the payload or checksum is flipped', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (payload, at, mask) => {
        const frame = encodeFrame(9, payload);
        const index = 7 + (at % (frame.length - 7));
        frame[index] ^= mask;
        const frames: Frame[] = [];
        const rejection = new FrameDecoder().push(frame, (f) => frames.push(f));
        expect(rejection?.code).toBe('FRAME_CHECKSUM');
        expect(frames).toHaveLength(0);
      }),
      RUNS,
    );
  });

  it('rejects an unknown protocol version and still delivers the frames before it', () => {
    const good = encodeFrame(3, Buffer.from('ok'));
    const bad = encodeFrame(3, Buffer.from('no'), { version: 2 });
    const frames: Frame[] = [];
    const rejection = new FrameDecoder().push(Buffer.concat([good, bad]), (f) => frames.push(f));
    expect(rejection?.code).toBe('FRAME_VERSION');
    expect(frames.map((f) => f.payload.toString())).toEqual(['ok']);
  });

  it('refuses to encode an invalid type or an oversized payload', () => {
    expect(() => encodeFrame(0x10000, Buffer.alloc(0))).toThrow(expect.objectContaining({ code: 'P2P_INVALID_TYPE' }));
    expect(() => encodeFrame(1, Buffer.alloc(MAX + 1), { maxFrameBytes: MAX })).toThrow(
      expect.objectContaining({ code: 'FRAME_TOO_LARGE' }),
    );
  });
});
