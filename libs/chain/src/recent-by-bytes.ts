/**
 * Values computed from byte strings, the most recent few thousand kept: for work that the same
 * inputs (a sender's public key) ask for again and again. Oldest out first. The values are
 * pure functions of their keys, so a kept one is always right.
 */
export class RecentByBytes<V> {
  private readonly values = new Map<string, V>();

  constructor(
    private readonly capacity: number,
    private readonly compute: (key: Uint8Array) => V,
  ) {}

  get(key: Uint8Array): V {
    const id = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('latin1');
    let value = this.values.get(id);
    if (value === undefined) {
      value = this.compute(key); // a throw keeps nothing
      if (this.values.size >= this.capacity) this.values.delete(this.values.keys().next().value as string);
      this.values.set(id, value);
    }
    return value;
  }
}
