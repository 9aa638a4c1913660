import { FieldMap, ProtoWriter } from '#chain';

/*
 * What a Raft log entry carries: the block and the leader's signature over it, so every node
 * stores the same commit proof with the block.
 *
 *   message RaftBlockEntry { bytes block = 3; bytes leader_signature = 4; }
 *
 * The field numbers are disjoint from Block's (1 header, 2 txs): an entry written before
 * leader signatures, a bare Block, still decodes as one (without a signature).
 */

/** A Raft entry's block (encoded) and the leader signature (encoded LeaderSignature). */
export interface RaftBlockEntry {
  block: Uint8Array;
  leaderSignature?: Uint8Array;
}

export function encodeRaftBlockEntry(entry: RaftBlockEntry): Uint8Array {
  const writer = new ProtoWriter(entry.block.length + 128).bytes(3, entry.block);
  if (entry.leaderSignature) writer.bytes(4, entry.leaderSignature);
  return writer.finish();
}

/** Decodes an entry; a bare encoded Block comes back as an entry without a signature. */
export function decodeRaftBlockEntry(data: Uint8Array): RaftBlockEntry {
  let f: FieldMap;
  try {
    f = new FieldMap(data, { 3: 2, 4: 2 });
  } catch {
    return { block: data };
  }
  const leaderSignature = f.bytes(4);
  return { block: f.bytes(3), leaderSignature: leaderSignature.length > 0 ? leaderSignature : undefined };
}
