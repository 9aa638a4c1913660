import { FieldMap, ProtoWriter } from '#chain';

/** Where a block sits in the Raft log: proposed by the leader of `term` for log `index`. */
export interface RaftPosition {
  term: number;
  index: number;
}

/** Encodes a block's Raft position for its header's consensusData (1 term, 2 index). */
export function encodeRaftPosition(position: RaftPosition): Uint8Array {
  return new ProtoWriter(24).uint64(1, BigInt(position.term)).uint64(2, BigInt(position.index)).finish();
}

/** Decodes a Raft position; undefined for anything else (genesis, other consensus). */
export function decodeRaftPosition(bytes: Uint8Array): RaftPosition | undefined {
  try {
    const f = new FieldMap(bytes, { 1: 0, 2: 0 });
    const index = Number(f.uint64(2));
    return index > 0 ? { term: Number(f.uint64(1)), index } : undefined;
  } catch {
    return undefined;
  }
}
