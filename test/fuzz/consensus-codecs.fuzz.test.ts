import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeBlockRequest,
  decodeBlockResponse,
  decodeCommitCertificate,
  decodeForwardedTxs,
  decodeHeadAnnouncement,
  decodePbftMessage,
  decodePbftView,
  decodeRaftMessage,
  decodeRaftPosition,
  encodeBlockRequest,
  encodeBlockResponse,
  encodeCommitCertificate,
  encodeForwardedTxs,
  encodeHeadAnnouncement,
  encodePbftMessage,
  encodePbftView,
  encodeRaftMessage,
  encodeRaftPosition,
  type CommitMessage,
  type PbftMessage,
  type PrePrepareMessage,
  type PrepareMessage,
  type RaftMessage,
  type ViewChangeMessage,
} from '#consensus';
import { fuzzParameters } from './support/fuzz-config.js';
import { fuzzDecoder, mutated, protobufShaped } from './support/decoder-fuzz.js';

// Decoders of everything a peer can send: random bytes, protobuf-shaped junk and damaged valid
// messages must decode to something that re-encodes canonically, or raise a typed error.
const RUNS = 2_000;
const params = (name: string) => fuzzParameters(`consensus:${name}`, RUNS);

const nat = fc.maxSafeNat();
const smallNat = fc.nat({ max: 1_000 });
const nodeId = fc.oneof(fc.constantFrom('validator-1', 'validator-2', 'ü-node'), fc.string({ minLength: 1, maxLength: 12 }));
const blob = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });

const raftMessage: fc.Arbitrary<RaftMessage> = (() => {
  const base = { from: nodeId, to: nodeId, term: nat };
  const entry = fc.record({ term: nat, index: nat, data: blob(0, 40) });
  return fc.oneof(
    fc.record({ type: fc.constant('append' as const), ...base, index: nat, logTerm: nat, entries: fc.array(entry, { maxLength: 4 }), commit: nat }),
    fc.record({ type: fc.constant('appendResponse' as const), ...base, index: nat, reject: fc.boolean(), rejectHint: nat, logTerm: nat }),
    fc.record({ type: fc.constantFrom('vote' as const, 'preVote' as const), ...base, index: nat, logTerm: nat }),
    fc.record({ type: fc.constantFrom('voteResponse' as const, 'preVoteResponse' as const), ...base, reject: fc.boolean() }),
    fc.record({ type: fc.constant('heartbeat' as const), ...base, commit: nat }),
    fc.record({ type: fc.constant('heartbeatResponse' as const), ...base }),
    fc.record({ type: fc.constant('snapshot' as const), ...base, snapshotIndex: nat, snapshotTerm: nat }),
  );
})();

const signed = { view: smallNat, height: nat, digest: blob(1, 64), sender: nodeId, signature: blob(1, 64) };
const prePrepare: fc.Arbitrary<PrePrepareMessage> = fc.record({ type: fc.constant('pre-prepare' as const), ...signed, block: blob(0, 60) });
const prepare: fc.Arbitrary<PrepareMessage> = fc.record({ type: fc.constant('prepare' as const), ...signed });
const commit: fc.Arbitrary<CommitMessage> = fc.record({ type: fc.constant('commit' as const), ...signed });
const viewChange: fc.Arbitrary<ViewChangeMessage> = fc.record({
  type: fc.constant('view-change' as const),
  view: smallNat,
  stableHeight: nat,
  checkpointProof: fc.array(fc.record({ type: fc.constant('checkpoint' as const), height: nat, digest: blob(1, 64), sender: nodeId, signature: blob(1, 64) }), { maxLength: 2 }),
  prepared: fc.array(fc.record({ prePrepare, prepares: fc.array(prepare, { maxLength: 2 }) }), { maxLength: 2 }),
  sender: nodeId,
  signature: blob(1, 64),
});
const pbftMessage: fc.Arbitrary<PbftMessage> = fc.oneof(
  prePrepare,
  prepare,
  commit,
  fc.record({ type: fc.constant('checkpoint' as const), height: nat, digest: blob(1, 64), sender: nodeId, signature: blob(1, 64) }),
  viewChange,
  fc.record({ type: fc.constant('new-view' as const), view: smallNat, viewChanges: fc.array(viewChange, { maxLength: 2 }), prePrepares: fc.array(prePrepare, { maxLength: 2 }), sender: nodeId, signature: blob(1, 64) }),
);

/** Adapts the result-returning PBFT decoder to the throwing shape, keeping the typed error. */
function decodePbftOrThrow(bytes: Uint8Array): PbftMessage {
  const result = decodePbftMessage(bytes);
  if (result.ok) return result.message;
  // The decoder turns every exception into a result; one that was not its own wire error shows as "TypeError: ...".
  expect(result.error.message, 'PBFT decoding hit an exception that is not a wire-format error').not.toMatch(/^(Type|Range|Reference|Syntax|)Error\b/);
  throw result.error;
}

const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const u32 = fc.nat({ max: 0xffff_ffff });

describe('consensus decoders under fuzzing', () => {
  it('Raft decodeRaftMessage', () => {
    fuzzDecoder({ name: 'decodeRaftMessage', decode: decodeRaftMessage, encode: encodeRaftMessage, valid: raftMessage }, params('raft'));
  });

  it('PBFT decodePbftMessage', () => {
    fuzzDecoder({ name: 'decodePbftMessage', decode: decodePbftOrThrow, encode: encodePbftMessage, valid: pbftMessage }, params('pbft'));
  });

  it('PBFT decodeCommitCertificate', () => {
    fuzzDecoder({ name: 'decodeCommitCertificate', decode: decodeCommitCertificate, encode: encodeCommitCertificate, valid: fc.array(commit, { maxLength: 4 }) }, params('commit-certificate'));
  });

  it('block sync decodeBlockRequest, decodeBlockResponse, decodeHeadAnnouncement', () => {
    fuzzDecoder({ name: 'decodeBlockRequest', decode: decodeBlockRequest, encode: encodeBlockRequest, valid: fc.record({ requestId: u32, fromHeight: u64, maxBlocks: u32 }) }, params('block-request'));
    fuzzDecoder(
      { name: 'decodeBlockResponse', decode: decodeBlockResponse, encode: encodeBlockResponse, valid: fc.record({ requestId: u32, headHeight: u64, blocks: fc.array(blob(0, 40), { maxLength: 3 }), certificates: fc.array(blob(0, 40), { maxLength: 3 }) }) },
      params('block-response'),
    );
    fuzzDecoder({ name: 'decodeHeadAnnouncement', decode: decodeHeadAnnouncement, encode: encodeHeadAnnouncement, valid: fc.record({ height: u64, headHash: blob(0, 32), wantsReply: fc.boolean() }) }, params('head'));
  });

  it('forwarded transactions decodeForwardedTxs', () => {
    fuzzDecoder({ name: 'decodeForwardedTxs', decode: decodeForwardedTxs, encode: encodeForwardedTxs, valid: fc.array(blob(0, 60), { maxLength: 4 }) }, params('forwarded'));
  });

  it('block consensus data: a Raft position or a PBFT view decodes to what it re-encodes, or to nothing', () => {
    const junk = fc.oneof(fc.uint8Array({ maxLength: 30 }), protobufShaped);
    fc.assert(
      fc.property(fc.oneof(junk, fc.record({ term: nat, index: nat }).chain((p) => mutated(encodeRaftPosition(p)))), (bytes) => {
        const position = decodeRaftPosition(bytes);
        if (!position) return;
        expect(Number.isSafeInteger(position.term) && Number.isSafeInteger(position.index), `rounded: ${JSON.stringify(position)}`).toBe(true);
        expect(decodeRaftPosition(encodeRaftPosition(position))).toEqual(position);
      }),
      params('raft-position'),
    );
    fc.assert(
      fc.property(fc.oneof(junk, nat.chain((view) => mutated(encodePbftView(view)))), (bytes) => {
        const view = decodePbftView(bytes);
        if (view === undefined) return;
        expect(Number.isSafeInteger(view), `rounded: ${view}`).toBe(true);
        expect(decodePbftView(encodePbftView(view))).toBe(view);
      }),
      params('pbft-view'),
    );
  });
});
