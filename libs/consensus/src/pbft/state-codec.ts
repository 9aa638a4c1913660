import { AccordError } from '#common';
import { FieldBag, decodeCheckpoint, decodePreparedCertificate, writeCheckpoint, writePreparedCertificate } from './codec.js';
import type { OwnVote, PbftPersistentState } from './replica-types.js';
import { ProtoWriter, WireFormatError, asPlainBytes } from './wire.js';

/*
 * Storage format of PbftPersistentState (protobuf 3, same conventions as the message codec):
 *
 *   message PersistentState { uint64 view = 1; uint64 view_changing = 2; uint64 last_committed_height = 3;
 *                             StableCheckpoint stable = 4; repeated RecentCommit recent_commits = 5;
 *                             repeated PreparedCertificate prepared = 6; repeated OwnVote votes = 7; }
 *   message StableCheckpoint { uint64 height = 1; bytes digest = 2; repeated Checkpoint proof = 3; }
 *   message RecentCommit { uint64 height = 1; bytes digest = 2; }
 *   message OwnVote { uint64 type = 1; uint64 view = 2; uint64 height = 3; bytes digest = 4; }  // type: 1 pre-prepare, 2 prepare, 3 commit
 */

const VOTE_TYPES: readonly OwnVote['type'][] = ['pre-prepare', 'prepare', 'commit'];

/** Encodes the replica state a driver must persist, for storage as one blob. */
export function encodePbftPersistentState(state: PbftPersistentState): Uint8Array {
  const w = new ProtoWriter(512);
  w.uint(1, state.view).uint(2, state.viewChanging ? 1 : 0).uint(3, state.lastCommittedHeight);
  w.message(4, (s) => {
    s.uint(1, state.stableCheckpoint.height).bytes(2, state.stableCheckpoint.digest);
    for (const cp of state.stableCheckpoint.proof) s.message(3, (inner) => writeCheckpoint(inner, cp));
  });
  for (const commit of state.recentCommits) w.message(5, (inner) => inner.uint(1, commit.height).bytes(2, commit.digest));
  for (const cert of state.preparedCertificates) w.message(6, (inner) => writePreparedCertificate(inner, cert));
  for (const vote of state.votes) {
    w.message(7, (inner) => inner.uint(1, VOTE_TYPES.indexOf(vote.type) + 1).uint(2, vote.view).uint(3, vote.height).bytes(4, vote.digest));
  }
  return w.finish();
}

/** Decodes stored replica state; corrupt input yields `{ok: false, error}` with a `PBFT_DECODE_*` code. */
export function decodePbftPersistentState(
  bytes: Uint8Array,
): { readonly ok: true; readonly state: PbftPersistentState } | { readonly ok: false; readonly error: AccordError } {
  try {
    const bag = new FieldBag(asPlainBytes(bytes));
    const stable = new FieldBag(bag.list(4)[0] ?? new Uint8Array(0));
    const state: PbftPersistentState = {
      view: bag.uint(1),
      viewChanging: bag.uint(2) === 1,
      lastCommittedHeight: bag.uint(3),
      stableCheckpoint: { height: stable.uint(1), digest: stable.bytes(2), proof: stable.list(3).map(decodeCheckpoint) },
      recentCommits: bag.list(5).map((b) => {
        const commit = new FieldBag(b);
        return { height: commit.uint(1), digest: commit.bytes(2) };
      }),
      preparedCertificates: bag.list(6).map(decodePreparedCertificate),
      votes: bag.list(7).map((b) => {
        const vote = new FieldBag(b);
        const type = VOTE_TYPES[vote.uint(1) - 1];
        if (type === undefined) throw new WireFormatError('PBFT_DECODE_INVALID_FIELD', 'unknown vote type');
        return { type, view: vote.uint(2), height: vote.uint(3), digest: vote.bytes(4) };
      }),
    };
    return { ok: true, state };
  } catch (error) {
    const code = error instanceof WireFormatError ? error.code : 'PBFT_DECODE_MALFORMED';
    return { ok: false, error: new AccordError(code, error instanceof Error ? error.message : String(error)) };
  }
}
