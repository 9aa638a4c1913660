import { createHash } from 'node:crypto';
import { sha256 } from '../hash.js';

/** Number of 16-bit lanes in the accumulator (2,048 bytes, as in Solana's lattice hash). */
export const LTHASH_LANES = 1024;
const LTHASH_BYTES = LTHASH_LANES * 2;

/**
 * A lattice-based homomorphic multiset hash (LtHash, Bellare–Micciancio; as used by Facebook's
 * and Solana's state hashing). Each state entry expands through SHAKE-128 to 1,024 16-bit lanes;
 * the accumulator is their lane-wise sum modulo 2^16. Adding or removing one entry costs one
 * expansion, so a block's state root is updated in O(entries changed) instead of re-hashing the
 * whole state, and the result depends only on the set of entries, never on the order of updates.
 */
export class LtHash {
  private readonly lanes: Uint16Array;

  constructor(lanes?: Uint16Array) {
    this.lanes = lanes ? new Uint16Array(lanes) : new Uint16Array(LTHASH_LANES);
    if (this.lanes.length !== LTHASH_LANES) throw new RangeError('LtHash needs exactly 1024 lanes');
  }

  /** Restores an accumulator from `toBytes()` output. */
  static fromBytes(bytes: Uint8Array): LtHash {
    if (bytes.length !== LTHASH_BYTES) throw new RangeError(`LtHash state must be ${LTHASH_BYTES} bytes`);
    const lanes = new Uint16Array(LTHASH_LANES);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < LTHASH_LANES; i++) lanes[i] = view.getUint16(i * 2, true);
    return new LtHash(lanes);
  }

  private static expand(entry: Uint8Array): Uint16Array {
    const digest = createHash('shake128', { outputLength: LTHASH_BYTES }).update(entry).digest();
    const lanes = new Uint16Array(LTHASH_LANES);
    for (let i = 0; i < LTHASH_LANES; i++) lanes[i] = digest[2 * i] | (digest[2 * i + 1] << 8);
    return lanes;
  }

  /** Adds an entry to the multiset. */
  add(entry: Uint8Array): void {
    const expanded = LtHash.expand(entry);
    for (let i = 0; i < LTHASH_LANES; i++) this.lanes[i] += expanded[i];
  }

  /** Removes an entry previously added. */
  remove(entry: Uint8Array): void {
    const expanded = LtHash.expand(entry);
    for (let i = 0; i < LTHASH_LANES; i++) this.lanes[i] -= expanded[i];
  }

  /** An independent copy. */
  clone(): LtHash {
    return new LtHash(this.lanes);
  }

  /** Little-endian lanes, for persistence. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(LTHASH_BYTES);
    const view = new DataView(out.buffer);
    for (let i = 0; i < LTHASH_LANES; i++) view.setUint16(i * 2, this.lanes[i], true);
    return out;
  }

  /** The 32-byte commitment: SHA-256 of the accumulator. */
  digest(): Uint8Array {
    return sha256(this.toBytes());
  }
}
