/**
 * An order-sensitive 64-bit FNV-1a hash of a simulation's event stream. Two runs of one seed
 * must produce the same hash; comparing hashes is far cheaper than comparing full traces.
 */
export class TraceHash {
  private hi = 0xcbf29ce4 >>> 0;
  private lo = 0x84222325 >>> 0;
  private eventCount = 0;

  /** Mixes one event (any string describing it) into the hash. */
  add(event: string): void {
    this.eventCount++;
    for (let i = 0; i < event.length; i++) this.mixByte(event.charCodeAt(i) & 0xff, event.charCodeAt(i) >>> 8);
    this.mixByte(0x0a, 0);
  }

  /** Number of events mixed in so far. */
  get events(): number {
    return this.eventCount;
  }

  /** The hash as 16 hex digits. */
  digest(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }

  private mixByte(low: number, high: number): void {
    for (const byte of high === 0 ? [low] : [low, high & 0xff]) {
      this.lo ^= byte;
      // 64-bit multiply by the FNV prime 2^40 + 0x1b3, split into 32-bit halves.
      const loTimes = this.lo * 0x1b3;
      const carry = Math.floor(loTimes / 4294967296);
      const newHi = (this.hi * 0x1b3 + (this.lo << 8) + carry) >>> 0;
      this.lo = loTimes >>> 0;
      this.hi = newHi;
    }
  }
}
