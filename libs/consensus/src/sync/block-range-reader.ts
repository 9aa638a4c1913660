import { Between } from 'typeorm';
import { ProtoWriter } from '#chain';
import { BlockEntity, fromBase64, TransactionEntity, type Ledger } from '#ledger';

/** A committed block as served to peers: its canonical encoding and its stored certificate. */
export interface EncodedBlock {
  height: number;
  bytes: Uint8Array;
  certificate: Uint8Array;
}

/**
 * Reads committed blocks `from..to` in two range queries and re-assembles their canonical
 * encodings from the stored header and raw transaction bytes, without decoding a transaction:
 * serving sync must cost the peers little. Stops early past `maxBytes` (at least one block).
 */
export async function readEncodedBlocks(ledger: Ledger, from: number, to: number, maxBytes: number): Promise<EncodedBlock[]> {
  if (to < from) return [];
  const database = ledger.database;
  const rows = await database.getRepository(BlockEntity).find({ where: { height: Between(from, to) }, order: { height: 'ASC' } });
  if (rows.length === 0) return [];
  const last = rows[rows.length - 1].height;
  const txRows = await database.getRepository(TransactionEntity).find({
    select: { height: true, position: true, raw: true },
    where: { height: Between(from, last) },
    order: { height: 'ASC', position: 'ASC' },
  });
  const blocks: EncodedBlock[] = [];
  let total = 0;
  let t = 0;
  for (const row of rows) {
    // Heights are contiguous from `from`; a hole means a concurrent write or a damaged ledger.
    if (row.height !== from + blocks.length) break;
    const header = fromBase64(row.header);
    const writer = new ProtoWriter(256 + row.txCount * 256).message(1, header, true);
    let count = 0;
    while (t < txRows.length && txRows[t].height === row.height) {
      writer.repeatedBytes(2, fromBase64(txRows[t].raw));
      t++;
      count++;
    }
    if (count !== row.txCount) break;
    const bytes = writer.finish();
    if (blocks.length > 0 && total + bytes.length > maxBytes) break;
    total += bytes.length;
    blocks.push({ height: row.height, bytes, certificate: row.certificate ? fromBase64(row.certificate) : new Uint8Array(0) });
  }
  return blocks;
}
