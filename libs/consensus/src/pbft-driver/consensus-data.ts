import { FieldMap, ProtoWriter } from '#chain';

/** Encodes the PBFT view a block was proposed in, for its header's consensusData (1 view). */
export function encodePbftView(view: number): Uint8Array {
  return new ProtoWriter(16).uint64(1, BigInt(view)).finish();
}

/** Decodes the PBFT view of a block; undefined for anything else (views past 2^53 included). */
export function decodePbftView(bytes: Uint8Array): number | undefined {
  try {
    const view = new FieldMap(bytes, { 1: 0 }).uint64(1);
    // Beyond 2^53 a number would silently round to another view.
    return view > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(view);
  } catch {
    return undefined;
  }
}
