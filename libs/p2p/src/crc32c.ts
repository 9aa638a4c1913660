/**
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum iSCSI, ext4 and gRPC use.
 * Slice-by-8: eight 256-entry tables let the loop consume 8 bytes per step, which matters because
 * every frame payload is checksummed on both ends of a link.
 */
const POLYNOMIAL = 0x82f63b78;

const TABLES: Uint32Array[] = buildTables();

function buildTables(): Uint32Array[] {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let crc = n;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ POLYNOMIAL : crc >>> 1;
    tables[0][n] = crc >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let crc = tables[0][n];
    for (let k = 1; k < 8; k++) {
      crc = tables[0][crc & 0xff] ^ (crc >>> 8);
      tables[k][n] = crc >>> 0;
    }
  }
  return tables;
}

/**
 * CRC-32C of `bytes[start, end)`, continuing from `previous` (the result of an earlier call) so
 * that a checksum can be computed over several pieces. Returns an unsigned 32-bit integer.
 */
export function crc32c(bytes: Uint8Array, previous = 0, start = 0, end = bytes.length): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES;
  let crc = ~previous >>> 0;
  let i = start;
  const fastEnd = end - ((end - start) & 7);
  while (i < fastEnd) {
    const lo =
      (crc ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24))) >>> 0;
    crc =
      t7[lo & 0xff] ^
      t6[(lo >>> 8) & 0xff] ^
      t5[(lo >>> 16) & 0xff] ^
      t4[lo >>> 24] ^
      t3[bytes[i + 4]] ^
      t2[bytes[i + 5]] ^
      t1[bytes[i + 6]] ^
      t0[bytes[i + 7]];
    i += 8;
  }
  while (i < end) {
    crc = t0[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    i++;
  }
  return ~crc >>> 0;
}
