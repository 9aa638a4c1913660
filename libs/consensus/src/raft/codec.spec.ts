import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { isAccordError } from '#common';
import { decodeRaftMessage, encodeRaftMessage } from './codec.js';
import type { RaftMessage } from './messages.js';
import type { RaftEntry } from './types.js';

const nat = fc.maxSafeNat();
const id = fc.string({ maxLength: 12 });
const entry: fc.Arbitrary<RaftEntry> = fc.record({ term: nat, index: nat, data: fc.uint8Array({ maxLength: 40 }) });
const base = { from: id, to: id, term: nat };

const message: fc.Arbitrary<RaftMessage> = fc.oneof(
  fc.record({ type: fc.constant('append' as const), ...base, index: nat, logTerm: nat, entries: fc.array(entry, { maxLength: 5 }), commit: nat }),
  fc.record({ type: fc.constant('appendResponse' as const), ...base, index: nat, reject: fc.boolean(), rejectHint: nat, logTerm: nat }),
  fc.record({ type: fc.constantFrom('vote' as const, 'preVote' as const), ...base, index: nat, logTerm: nat }),
  fc.record({ type: fc.constantFrom('voteResponse' as const, 'preVoteResponse' as const), ...base, reject: fc.boolean() }),
  fc.record({ type: fc.constant('heartbeat' as const), ...base, commit: nat }),
  fc.record({ type: fc.constant('heartbeatResponse' as const), ...base }),
  fc.record({ type: fc.constant('snapshot' as const), ...base, snapshotIndex: nat, snapshotTerm: nat }),
);

describe('Raft message codec', () => {
  it('round-trips every message type, including 2^53 - 1 and empty entries', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(decodeRaftMessage(encodeRaftMessage(m))).toEqual(m);
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('encodes deterministically: equal messages give equal bytes', () => {
    fc.assert(
      fc.property(message, (m) => {
        const copy = decodeRaftMessage(encodeRaftMessage(m));
        expect(encodeRaftMessage(copy)).toEqual(encodeRaftMessage(m));
      }),
      { numRuns: 200, seed: 8 },
    );
  });

  it('keeps a no-op entry (empty data, zero-valued fields) as an entry', () => {
    const m: RaftMessage = {
      type: 'append',
      from: 'a',
      to: 'b',
      term: 1,
      index: 0,
      logTerm: 0,
      commit: 0,
      entries: [{ term: 0, index: 0, data: new Uint8Array(0) }],
    };
    expect(decodeRaftMessage(encodeRaftMessage(m))).toEqual(m);
  });

  it('matches the protobuf wire format for a known message', () => {
    const bytes = encodeRaftMessage({ type: 'heartbeat', from: 'a', to: 'b', term: 300, commit: 1 });
    // type=7 (field 1), from="a" (field 2), to="b" (field 3), term=300 (field 4), commit=1 (field 7)
    expect([...bytes]).toEqual([0x08, 7, 0x12, 1, 0x61, 0x1a, 1, 0x62, 0x20, 0xac, 0x02, 0x38, 1]);
  });

  it('is read by a stock protobuf decoder using the documented schema', () => {
    const { root } = protobuf.parse(`syntax = "proto3";
      message Entry { uint64 term = 1; uint64 index = 2; bytes data = 3; }
      message RaftMessage {
        uint32 type = 1; string from = 2; string to = 3; uint64 term = 4;
        uint64 index = 5; uint64 log_term = 6; uint64 commit = 7;
        bool reject = 8; uint64 reject_hint = 9;
        repeated Entry entries = 10;
        uint64 snapshot_index = 11; uint64 snapshot_term = 12;
      }`);
    const type = root.lookupType('RaftMessage');
    const m: RaftMessage = {
      type: 'append',
      from: 'validator-1',
      to: 'validator-2',
      term: 2 ** 40,
      index: 7,
      logTerm: 3,
      commit: 6,
      entries: [{ term: 3, index: 8, data: new Uint8Array([1, 2, 3]) }, { term: 3, index: 9, data: new Uint8Array(0) }],
    };
    const decoded = type.toObject(type.decode(encodeRaftMessage(m)), { longs: Number, bytes: Array, defaults: true });
    expect(decoded).toMatchObject({ type: 1, from: 'validator-1', to: 'validator-2', term: 2 ** 40, index: 7, logTerm: 3, commit: 6 });
    expect(decoded.entries).toEqual([
      { term: 3, index: 8, data: [1, 2, 3] },
      { term: 3, index: 9, data: [] },
    ]);
    // ...and what the stock encoder writes, we read.
    const foreign = type.encode(type.fromObject({ type: 7, from: 'a', to: 'b', term: 5, commit: 4 })).finish();
    expect(decodeRaftMessage(foreign)).toEqual({ type: 'heartbeat', from: 'a', to: 'b', term: 5, commit: 4 });
  });

  it('skips unknown fields so newer senders stay compatible', () => {
    const known = encodeRaftMessage({ type: 'heartbeatResponse', from: 'a', to: 'b', term: 2 });
    const withExtras = new Uint8Array([...known, 0xf8, 0x01, 5, 0x85, 0x01, 1, 2, 3, 4, 0xfa, 0x01, 1, 9]);
    expect(decodeRaftMessage(withExtras)).toEqual({ type: 'heartbeatResponse', from: 'a', to: 'b', term: 2 });
  });

  it.each([
    ['an unknown type', [0x08, 99]],
    ['a missing type', [0x20, 1]],
    ['a truncated varint', [0x08, 0x81]],
    ['a truncated string', [0x08, 1, 0x12, 5, 0x61]],
    ['an unsupported wire type', [0x0b]],
    ['invalid UTF-8 in an id', [0x08, 1, 0x12, 1, 0xff]],
  ])('rejects %s with RAFT_MESSAGE_MALFORMED', (_name, bytes) => {
    let caught: unknown;
    try {
      decodeRaftMessage(new Uint8Array(bytes));
    } catch (error) {
      caught = error;
    }
    expect(isAccordError(caught) && caught.code).toBe('RAFT_MESSAGE_MALFORMED');
  });

  it('refuses to encode negative or unsafe integers', () => {
    expect(() => encodeRaftMessage({ type: 'heartbeat', from: 'a', to: 'b', term: -1, commit: 0 })).toThrow(/non-negative/);
    expect(() => encodeRaftMessage({ type: 'heartbeat', from: 'a', to: 'b', term: 2 ** 60, commit: 0 })).toThrow(/safe integer/);
  });
});
