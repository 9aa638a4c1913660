/**
 * A source of randomness injected into the consensus cores, so that a seeded simulation replays
 * exactly. Cores never call `Math.random`.
 */
export interface RandomSource {
  /** A uniformly distributed integer in [0, maxExclusive). */
  nextInt(maxExclusive: number): number;
  /** A uniformly distributed float in [0, 1). */
  nextFloat(): number;
}

/**
 * sfc32, a small fast counter-based generator with a 128-bit state: good statistical quality and
 * trivially reproducible from a 32-bit seed. Not for cryptography.
 */
export class SeededRandom implements RandomSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    // Discard the first outputs: sfc32 mixes poorly for the first few rounds.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The next raw 32-bit output. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  nextInt(maxExclusive: number): number {
    if (!Number.isInteger(maxExclusive) || maxExclusive <= 0) {
      throw new RangeError(`maxExclusive must be a positive integer, got ${maxExclusive}`);
    }
    return Math.floor(this.nextFloat() * maxExclusive);
  }
}
