import { ChainError, ChainErrorCode } from '../errors.js';
import { sha256 } from '../hash.js';
import { Transaction, DEFAULT_TX_LIMITS, type TxLimits } from '../tx/transaction.js';
import { FieldMap } from '../wire/reader.js';
import { ProtoWriter } from '../wire/writer.js';
import type { Block, BlockHeader } from './types.js';

/** Canonical protobuf encoding of a `BlockHeader` (proto/accord.proto). */
export function encodeBlockHeader(header: BlockHeader): Uint8Array {
  return new ProtoWriter(256)
    .string(1, header.chainId)
    .uint64(2, header.height)
    .bytes(3, header.prevHash)
    .uint64(4, header.timestampMs)
    .bytes(5, header.txRoot)
    .bytes(6, header.stateRoot)
    .string(7, header.proposer)
    .bytes(8, header.consensusData)
    .uint32(9, header.txCount)
    .uint32(10, header.powDifficultyBits)
    .uint64(11, header.powNonce)
    .finish();
}

/** Decodes a `BlockHeader`; throws ChainError MALFORMED_BLOCK. */
export function decodeBlockHeader(bytes: Uint8Array): BlockHeader {
  try {
    const f = new FieldMap(bytes, { 1: 2, 2: 0, 3: 2, 4: 0, 5: 2, 6: 2, 7: 2, 8: 2, 9: 0, 10: 0, 11: 0 });
    return {
      chainId: f.string(1),
      height: f.uint64(2),
      prevHash: f.bytes(3),
      timestampMs: f.uint64(4),
      txRoot: f.bytes(5),
      stateRoot: f.bytes(6),
      proposer: f.string(7),
      consensusData: f.bytes(8),
      txCount: f.uint32(9),
      powDifficultyBits: f.uint32(10),
      powNonce: f.uint64(11),
    };
  } catch (error) {
    throw new ChainError(ChainErrorCode.MALFORMED_BLOCK, `malformed block header: ${(error as Error).message}`);
  }
}

/** The block hash: SHA-256 of the encoded header. */
export function blockHash(header: BlockHeader): Uint8Array {
  return sha256(encodeBlockHeader(header));
}

/** Canonical protobuf encoding of a `Block` {header, repeated signed txs}. */
export function encodeBlock(block: Block): Uint8Array {
  const writer = new ProtoWriter(512 + block.txs.length * 200).message(1, encodeBlockHeader(block.header), true);
  for (const tx of block.txs) writer.repeatedBytes(2, tx.bytes);
  return writer.finish();
}

/** Decodes a `Block` and every transaction in it; throws ChainError. */
export function decodeBlock(bytes: Uint8Array, limits: TxLimits = DEFAULT_TX_LIMITS): Block {
  let f: FieldMap;
  try {
    f = new FieldMap(bytes, { 1: 2, 2: 2 }, [2]);
  } catch (error) {
    throw new ChainError(ChainErrorCode.MALFORMED_BLOCK, `malformed block: ${(error as Error).message}`);
  }
  const header = decodeBlockHeader(f.bytes(1));
  const txs = f.readRepeated(2).map((txBytes) => Transaction.fromBytes(txBytes.slice(), limits));
  if (txs.length !== header.txCount) {
    throw new ChainError(ChainErrorCode.MALFORMED_BLOCK, `header says ${header.txCount} transactions, block has ${txs.length}`);
  }
  return { header, txs };
}
