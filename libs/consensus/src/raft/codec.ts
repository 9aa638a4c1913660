import { AccordError } from '#common';
import { RAFT_MESSAGE_TYPES, type RaftMessage, type RaftMessageType } from './messages.js';
import type { RaftEntry } from './types.js';
import { MALFORMED_CODE, ProtoWriter, readFields } from './wire.js';

/**
 * Protobuf-compatible encoding of `RaftMessage`, equivalent to this schema (proto3):
 *
 * ```proto
 * message RaftEntry { uint64 term = 1; uint64 index = 2; bytes data = 3; }
 * message RaftMessage {
 *   uint32 type = 1;          // 1-based position in RAFT_MESSAGE_TYPES
 *   string from = 2; string to = 3; uint64 term = 4;
 *   uint64 index = 5; uint64 log_term = 6; uint64 commit = 7;
 *   bool reject = 8; uint64 reject_hint = 9;
 *   repeated RaftEntry entries = 10;
 *   uint64 snapshot_index = 11; uint64 snapshot_term = 12;
 * }
 * ```
 * Fields are written in field order and zero values are omitted, so equal messages always
 * encode to equal bytes.
 */

const F = { type: 1, from: 2, to: 3, term: 4, index: 5, logTerm: 6, commit: 7, reject: 8, rejectHint: 9, entries: 10, snapshotIndex: 11, snapshotTerm: 12 } as const;

/** Encodes a message to its deterministic binary form. */
export function encodeRaftMessage(m: RaftMessage): Uint8Array {
  const w = new ProtoWriter();
  w.uint(F.type, RAFT_MESSAGE_TYPES.indexOf(m.type) + 1).string(F.from, m.from).string(F.to, m.to).uint(F.term, m.term);
  switch (m.type) {
    case 'append':
      w.uint(F.index, m.index).uint(F.logTerm, m.logTerm).uint(F.commit, m.commit);
      for (const entry of m.entries) w.bytes(F.entries, encodeEntry(entry), true);
      break;
    case 'appendResponse':
      w.uint(F.index, m.index).uint(F.logTerm, m.logTerm).bool(F.reject, m.reject).uint(F.rejectHint, m.rejectHint);
      break;
    case 'vote':
    case 'preVote':
      w.uint(F.index, m.index).uint(F.logTerm, m.logTerm);
      break;
    case 'voteResponse':
    case 'preVoteResponse':
      w.bool(F.reject, m.reject);
      break;
    case 'heartbeat':
      w.uint(F.commit, m.commit);
      break;
    case 'heartbeatResponse':
      break;
    case 'snapshot':
      w.uint(F.snapshotIndex, m.snapshotIndex).uint(F.snapshotTerm, m.snapshotTerm);
      break;
  }
  return w.finish();
}

/** Decodes bytes produced by `encodeRaftMessage`; throws `RAFT_MESSAGE_MALFORMED` otherwise. */
export function decodeRaftMessage(bytes: Uint8Array): RaftMessage {
  const nums = new Map<number, number>();
  const strings = new Map<number, string>();
  const entries: RaftEntry[] = [];
  for (const f of readFields(bytes)) {
    if (f.kind === 'uint') nums.set(f.field, f.value);
    else if (f.field === F.entries) entries.push(decodeEntry(f.value));
    else if (f.field === F.from || f.field === F.to) strings.set(f.field, decodeUtf8(f.value));
  }
  const type: RaftMessageType | undefined = RAFT_MESSAGE_TYPES[(nums.get(F.type) ?? 0) - 1];
  if (type === undefined) throw new AccordError(MALFORMED_CODE, `unknown message type ${nums.get(F.type)}`);
  const num = (field: number): number => nums.get(field) ?? 0;
  const base = { from: strings.get(F.from) ?? '', to: strings.get(F.to) ?? '', term: num(F.term) };
  switch (type) {
    case 'append':
      return { type, ...base, index: num(F.index), logTerm: num(F.logTerm), entries, commit: num(F.commit) };
    case 'appendResponse':
      return { type, ...base, index: num(F.index), reject: num(F.reject) !== 0, rejectHint: num(F.rejectHint), logTerm: num(F.logTerm) };
    case 'vote':
    case 'preVote':
      return { type, ...base, index: num(F.index), logTerm: num(F.logTerm) };
    case 'voteResponse':
    case 'preVoteResponse':
      return { type, ...base, reject: num(F.reject) !== 0 };
    case 'heartbeat':
      return { type, ...base, commit: num(F.commit) };
    case 'heartbeatResponse':
      return { type, ...base };
    case 'snapshot':
      return { type, ...base, snapshotIndex: num(F.snapshotIndex), snapshotTerm: num(F.snapshotTerm) };
  }
}

function encodeEntry(entry: RaftEntry): Uint8Array {
  return new ProtoWriter().uint(1, entry.term).uint(2, entry.index).bytes(3, entry.data).finish();
}

function decodeEntry(bytes: Uint8Array): RaftEntry {
  let term = 0;
  let index = 0;
  let data = new Uint8Array(0);
  for (const f of readFields(bytes)) {
    if (f.field === 1 && f.kind === 'uint') term = f.value;
    else if (f.field === 2 && f.kind === 'uint') index = f.value;
    else if (f.field === 3 && f.kind === 'bytes') data = f.value.slice();
  }
  return { term, index, data };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch (error) {
    throw new AccordError(MALFORMED_CODE, 'node id is not valid UTF-8', { cause: error });
  }
}
