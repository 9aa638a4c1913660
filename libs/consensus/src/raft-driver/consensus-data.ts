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

/** Decodes a Raft position; undefined for anything else (genesis, other consensus, numbers past 2^53). */
export function decodeRaftPosition(bytes: Uint8Array): RaftPosition | undefined {
  try {
    const f = new FieldMap(bytes, { 1: 0, 2: 0 });
    const [term, index] = [f.uint64(1), f.uint64(2)];
    // Beyond 2^53 a number would silently round and re-encode to another position.
    if (term > BigInt(Number.MAX_SAFE_INTEGER) || index > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
    return index > 0n ? { term: Number(term), index: Number(index) } : undefined;
  } catch {
    return undefined;
  }
}
