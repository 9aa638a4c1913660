import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAccordError } from '#common';
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, FRAME_HEADER_BYTES, FrameDecoder, type Frame } from '#p2p';
import { fuzzParameters, fuzzRuns, fuzzTimeout } from './support/fuzz-config.js';

// Adds to libs/p2p/src/frame-decoder.spec.ts what it does not cover: chunking never changes the
// outcome (frames and error) of any stream, corrupted lengths fail at the header, and a peer
// announcing large frames cannot make the decoder hold more than it has actually received.
const RUNS = 600;
const MAX = 256;
const REJECTIONS = ['FRAME_TOO_LARGE', 'FRAME_CHECKSUM', 'FRAME_VERSION'];

const frameArb = fc.record({ type: fc.integer({ min: 0, max: 0xffff }), payload: fc.oneof(fc.uint8Array({ maxLength: 24 }), fc.uint8Array({ minLength: MAX - 2, maxLength: MAX })) });
const validStream = fc.array(frameArb, { maxLength: 8 }).map((frames) => ({ frames, bytes: Buffer.concat(frames.map((f) => encodeFrame(f.type, f.payload, { maxFrameBytes: MAX }))) }));

/** A stream that is valid, damaged anywhere, garbage-tailed or plain garbage. */
const anyStream: fc.Arbitrary<Buffer> = fc.oneof(
  validStream.map((s) => s.bytes),
  fc.tuple(validStream, fc.nat(), fc.integer({ min: 1, max: 255 })).map(([s, at, mask]) => {
    const copy = Buffer.from(s.bytes);
    if (copy.length) copy[at % copy.length] ^= mask;
    return copy;
  }),
  fc.tuple(validStream, fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([s, junk]) => Buffer.concat([s.bytes, junk])),
  fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
);

/** Cuts `bytes` into pieces at the given offsets (any order, duplicates allowed). */
function chunked(bytes: Buffer, cuts: number[]): Buffer[] {
  const offsets = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const offset of [...offsets, bytes.length]) {
    pieces.push(bytes.subarray(start, offset));
    start = offset;
  }
  return pieces;
}

interface Outcome {
  frames: Array<{ type: number; payload: string }>;
  error: string | null;
  buffered: number;
}

/** Feeds the pieces, checking after each that the decoder holds no more than it received and one frame's worth. */
function decode(pieces: Buffer[], maxFrameBytes = MAX): Outcome {
  const decoder = new FrameDecoder({ maxFrameBytes });
  const frames: Frame[] = [];
  let received = 0;
  let consumed = 0;
  let error: unknown = null;
  for (const piece of pieces) {
    received += piece.length;
    const rejection = decoder.push(piece, (frame) => {
      consumed += FRAME_HEADER_BYTES + frame.payload.length;
      frames.push({ ...frame, payload: Buffer.from(frame.payload) });
    });
    expect(decoder.bufferedBytes).toBeLessThanOrEqual(FRAME_HEADER_BYTES + maxFrameBytes);
    expect(decoder.bufferedBytes).toBeLessThanOrEqual(received - consumed);
    if (rejection) {
      error = rejection;
      break;
    }
  }
  if (error !== null) {
    expect(isAccordError(error)).toBe(true);
    expect(REJECTIONS).toContain((error as { code: string }).code);
  }
  return { frames: frames.map((f) => ({ type: f.type, payload: f.payload.toString('hex') })), error: error === null ? null : (error as { code: string }).code, buffered: decoder.bufferedBytes };
}

describe('FrameDecoder under fuzzing', () => {
  it('any stream decodes to the same frames and the same error however it is chunked', () => {
    fc.assert(
      fc.property(anyStream, fc.array(fc.nat(), { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 40 }), (bytes, cutsA, cutsB) => {
        const whole = decode([bytes]);
        expect(decode(chunked(bytes, cutsA))).toEqual(whole);
        expect(decode(chunked(bytes, cutsB))).toEqual(whole);
        expect(decode([...bytes].map((b) => Buffer.from([b])))).toEqual(whole);
      }),
      fuzzParameters('frame:chunking', RUNS),
    );
  }, fuzzTimeout(fuzzRuns(RUNS), 10));

  it('a valid stream decodes to exactly the frames sent, in order, with nothing left over', () => {
    fc.assert(
      fc.property(validStream, fc.array(fc.nat(), { maxLength: 40 }), ({ frames, bytes }, cuts) => {
        expect(decode(chunked(bytes, cuts))).toEqual({ frames: frames.map((f) => ({ type: f.type, payload: Buffer.from(f.payload).toString('hex') })), error: null, buffered: 0 });
      }),
      fuzzParameters('frame:valid', RUNS),
    );
  });

  it('a length field over the limit fails as soon as the header is complete, before any payload byte', () => {
    fc.assert(
      fc.property(validStream, fc.integer({ min: MAX + 1, max: 0xffff_ffff }), fc.array(fc.nat(), { maxLength: 10 }), ({ frames, bytes }, length, cuts) => {
        const header = Buffer.from(encodeFrame(7, Buffer.alloc(1)).subarray(0, FRAME_HEADER_BYTES));
        header.writeUInt32BE(length, 3);
        const outcome = decode(chunked(Buffer.concat([bytes, header]), cuts));
        expect(outcome.error).toBe('FRAME_TOO_LARGE');
        expect(outcome.frames).toHaveLength(frames.length);
        expect(outcome.buffered).toBe(0);
      }),
      fuzzParameters('frame:length', RUNS),
    );
  });

  it('with the default 16 MiB limit, a header announcing the maximum does not make the decoder allocate it', () => {
    const header = Buffer.from(encodeFrame(7, Buffer.alloc(1)).subarray(0, FRAME_HEADER_BYTES));
    header.writeUInt32BE(DEFAULT_MAX_FRAME_BYTES, 3);
    const decoder = new FrameDecoder();
    const heapBefore = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 64; i++) expect(decoder.push(i === 0 ? Buffer.concat([header, Buffer.alloc(1024)]) : Buffer.alloc(1024), () => undefined)).toBeNull();
    // Buffered is what arrived (header + 64 KiB), not the 16 MiB announced.
    expect(decoder.bufferedBytes).toBe(FRAME_HEADER_BYTES + 64 * 1024);
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(DEFAULT_MAX_FRAME_BYTES / 2);
    header.writeUInt32BE(DEFAULT_MAX_FRAME_BYTES + 1, 3);
    expect(new FrameDecoder().push(header, () => undefined)?.code).toBe('FRAME_TOO_LARGE');
  });

  it('a failed decoder stays failed, holds nothing and ignores whatever follows', () => {
    fc.assert(
      fc.property(anyStream, fc.uint8Array({ minLength: 1, maxLength: 100 }), (bytes, more) => {
        const decoder = new FrameDecoder({ maxFrameBytes: MAX });
        const rejection = decoder.push(bytes, () => undefined);
        if (!rejection) return;
        let delivered = 0;
        expect(decoder.push(Buffer.from(more), () => delivered++)).toBe(rejection);
        expect(delivered).toBe(0);
        expect(decoder.bufferedBytes).toBe(0);
      }),
      fuzzParameters('frame:failed', RUNS),
    );
  });
});
