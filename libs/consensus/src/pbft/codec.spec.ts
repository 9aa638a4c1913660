import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodePbftMessage, encodePbftMessage } from './codec.js';
import type { CheckpointMessage, NewViewMessage, PbftMessage, PrePrepareMessage, PrepareMessage, ViewChangeMessage } from './types.js';

const bytes = (length: number, fill: number): Uint8Array => new Uint8Array(length).fill(fill);

const prePrepare: PrePrepareMessage = {
  type: 'pre-prepare',
  view: 3,
  height: 2 ** 40 + 7,
  digest: bytes(32, 1),
  block: bytes(300, 9),
  sender: 'validator-0',
  signature: bytes(64, 2),
};
const prepare: PrepareMessage = { type: 'prepare', view: 3, height: 12, digest: bytes(32, 1), sender: 'validator-1', signature: bytes(64, 3) };
const checkpoint: CheckpointMessage = { type: 'checkpoint', height: 10, digest: bytes(32, 4), sender: 'validator-2', signature: bytes(64, 5) };
const viewChange: ViewChangeMessage = {
  type: 'view-change',
  view: 4,
  stableHeight: 10,
  checkpointProof: [checkpoint, { ...checkpoint, sender: 'validator-3' }],
  prepared: [{ prePrepare: { ...prePrepare, height: 11 }, prepares: [{ ...prepare, height: 11 }, { ...prepare, height: 11, sender: 'validator-ü' }] }],
  sender: 'validator-1',
  signature: bytes(64, 6),
};
const newView: NewViewMessage = {
  type: 'new-view',
  view: 4,
  viewChanges: [viewChange, { ...viewChange, sender: 'validator-2', prepared: [] }],
  prePrepares: [{ ...prePrepare, view: 4, height: 11 }],
  sender: 'validator-0',
  signature: bytes(64, 7),
};
const samples: PbftMessage[] = [
  prePrepare,
  prepare,
  { ...prepare, type: 'commit', view: 0, height: 1 },
  checkpoint,
  viewChange,
  { ...viewChange, stableHeight: 0, checkpointProof: [], prepared: [] },
  newView,
];

const SCHEMA = `
syntax = "proto3";
message PbftMessage { oneof body { PrePrepare pre_prepare = 1; Vote prepare = 2; Vote commit = 3; Checkpoint checkpoint = 4; ViewChange view_change = 5; NewView new_view = 6; } }
message PrePrepare { uint64 view = 1; uint64 height = 2; bytes digest = 3; string sender = 4; bytes signature = 5; bytes block = 6; }
message Vote { uint64 view = 1; uint64 height = 2; bytes digest = 3; string sender = 4; bytes signature = 5; }
message Checkpoint { uint64 height = 2; bytes digest = 3; string sender = 4; bytes signature = 5; }
message PreparedCertificate { PrePrepare pre_prepare = 1; repeated Vote prepares = 2; }
message ViewChange { uint64 view = 1; uint64 stable_height = 2; repeated Checkpoint checkpoint_proof = 3; repeated PreparedCertificate prepared = 4; string sender = 5; bytes signature = 6; }
message NewView { uint64 view = 1; repeated ViewChange view_changes = 2; repeated PrePrepare pre_prepares = 3; string sender = 4; bytes signature = 5; }
`;
const Envelope = protobuf.parse(SCHEMA).root.lookupType('PbftMessage');

describe('PBFT message codec', () => {
  it.each(samples.map((m) => [m.type, m] as const))('round-trips a %s message', (_type, message) => {
    const encoded = encodePbftMessage(message);
    const decoded = decodePbftMessage(encoded);
    expect(decoded).toEqual({ ok: true, message });
    if (decoded.ok) expect(encodePbftMessage(decoded.message)).toEqual(encoded);
  });

  it('encodes deterministically, independent of object key order', () => {
    const reordered = { signature: prepare.signature, sender: prepare.sender, digest: prepare.digest, height: prepare.height, view: prepare.view, type: prepare.type } as const;
    expect(encodePbftMessage(reordered)).toEqual(encodePbftMessage(prepare));
  });

  it('speaks the protobuf wire format of the documented schema, both ways', () => {
    const decodedByProtobufjs = Envelope.toObject(Envelope.decode(encodePbftMessage(newView)), { longs: Number, bytes: Array }) as {
      newView: { view: number; viewChanges: { stableHeight: number; prepared: { prepares: { sender: string }[] }[] }[]; prePrepares: { height: number }[] };
    };
    expect(decodedByProtobufjs.newView.view).toBe(4);
    expect(decodedByProtobufjs.newView.viewChanges[0].stableHeight).toBe(10);
    expect(decodedByProtobufjs.newView.viewChanges[0].prepared[0].prepares[1].sender).toBe('validator-ü');
    expect(decodedByProtobufjs.newView.prePrepares[0].height).toBe(11);

    const fromProtobufjs = Envelope.encode(
      Envelope.fromObject({ prePrepare: { ...prePrepare, height: 2 ** 40 + 7, type: undefined } }),
    ).finish();
    expect(decodePbftMessage(fromProtobufjs)).toEqual({ ok: true, message: prePrepare });
    expect(Buffer.from(fromProtobufjs)).toEqual(Buffer.from(encodePbftMessage(prePrepare)));
  });

  it('rejects malformed input with typed errors', () => {
    const encoded = encodePbftMessage(prepare);
    const cases: [Uint8Array, string][] = [
      [new Uint8Array(0), 'PBFT_DECODE_MALFORMED'],
      [encoded.subarray(0, encoded.length - 3), 'PBFT_DECODE_TRUNCATED'],
      [new Uint8Array([0x3a, 0x00]), 'PBFT_DECODE_UNKNOWN_TYPE'],
      [new Uint8Array([0x12, 0x02, 0x08, 0x01]), 'PBFT_DECODE_INVALID_FIELD'],
      [new Uint8Array([0x12, 0x0b, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), 'PBFT_DECODE_RANGE'],
      [new Uint8Array([0x0f]), 'PBFT_DECODE_MALFORMED'],
      [new Uint8Array([...encoded, ...encoded]), 'PBFT_DECODE_MALFORMED'],
    ];
    for (const [input, code] of cases) {
      const result = decodePbftMessage(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe(code);
    }
  });

  it('never throws on arbitrary or mutated bytes', () => {
    const valid = samples.map(encodePbftMessage);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (input) => {
        const result = decodePbftMessage(input);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 2000, seed: 42 },
    );
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.nat(), fc.integer({ min: 1, max: 255 }), (which, position, flip) => {
        const mutated = valid[which].slice();
        mutated[position % mutated.length] ^= flip;
        const result = decodePbftMessage(mutated);
        if (result.ok) expect(encodePbftMessage(result.message).length).toBeGreaterThan(0);
        else expect(result.error.code).toMatch(/^PBFT_DECODE_/);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
