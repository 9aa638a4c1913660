import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
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
