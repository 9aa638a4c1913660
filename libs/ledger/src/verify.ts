import {
  blockHash,
  chainRulesOf,
  ChainError,
  decodeBlockHeader,
  executeBlock,
  genesisBlock,
  genesisHash,
  genesisState,
  toHex,
  Transaction,
  type BlockHeader,
  type Genesis,
  WorldState,
} from '#chain';
import { openLedgerDataSource, type LedgerDatabase } from './data-source.js';
import { fromBase64 } from './encoding.js';
import { AccountEntity, BlockEntity, MemberEntity, MetaEntity, NodeEntity, RecordEntity, TransactionEntity } from './entities/index.js';
import { accountOfRow, memberOfRow, nodeOfRow, recordOfRow } from './state-rows.js';
import { MoreThanOrEqual, LessThanOrEqual, And } from 'typeorm';

/** The verdict of a full-chain verification. */
export interface LedgerVerification {
  ok: boolean;
  /** Height of the last block checked. */
  height: number;
  headHash?: string;
  problem?: { height: number; code: string; message: string };
}

const BLOCKS_PER_QUERY = 200;

/**
 * Re-checks a whole ledger from its genesis: every block's hash link, encoding, Merkle root,
 * proof-of-work seal and every transaction (signatures included) by replaying it, each block's
 * state root, and finally that the stored state tables equal the replayed state.
 */
export async function verifyLedger(options: { database: LedgerDatabase; genesis: Genesis; onProgress?: (height: number, head: number) => void }): Promise<LedgerVerification> {
  const dataSource = await openLedgerDataSource(options.database);
  try {
    const { genesis } = options;
    const meta = await dataSource.getRepository(MetaEntity).findOneBy({ key: 'genesis_hash' });
    if (meta?.value !== toHex(genesisHash(genesis))) return { ok: false, height: 0, problem: { height: 0, code: 'GENESIS_MISMATCH', message: 'ledger belongs to another genesis' } };
    const blocks = dataSource.getRepository(BlockEntity);
    const headRow = await blocks.find({ order: { height: 'DESC' }, take: 1 });
    const head = headRow[0]?.height ?? 0;
    const rules = chainRulesOf(genesis);
    const limits = { maxTxBytes: genesis.limits.maxTxBytes, maxRecordValueBytes: genesis.limits.maxRecordValueBytes };
    const state = genesisState(genesis);
    let parent: BlockHeader = genesisBlock(genesis).header;
    const storedGenesis = await blocks.findOneBy({ height: 0 });
    if (!storedGenesis || storedGenesis.hash !== toHex(blockHash(parent))) {
      return { ok: false, height: 0, problem: { height: 0, code: 'BAD_GENESIS_BLOCK', message: 'block 0 is not the genesis block' } };
    }
    for (let from = 1; from <= head; from += BLOCKS_PER_QUERY) {
      const to = Math.min(head, from + BLOCKS_PER_QUERY - 1);
      const rows = await blocks.find({ where: { height: And(MoreThanOrEqual(from), LessThanOrEqual(to)) }, order: { height: 'ASC' } });
      const txRows = await dataSource.getRepository(TransactionEntity).find({ where: { height: And(MoreThanOrEqual(from), LessThanOrEqual(to)) }, order: { height: 'ASC', position: 'ASC' } });
      const txsByHeight = new Map<number, Transaction[]>();
      for (const row of txRows) {
        const list = txsByHeight.get(row.height) ?? [];
        list.push(Transaction.fromBytes(fromBase64(row.raw), limits));
        txsByHeight.set(row.height, list);
      }
      for (let height = from; height <= to; height++) {
        const row = rows[height - from];
        if (!row || row.height !== height) return { ok: false, height: height - 1, problem: { height, code: 'MISSING_BLOCK', message: `block ${height} is missing` } };
        try {
          const header = decodeBlockHeader(fromBase64(row.header));
          if (toHex(blockHash(header)) !== row.hash) throw new ChainError('MALFORMED_BLOCK', 'stored hash does not match the stored header');
          const block = { header, txs: txsByHeight.get(height) ?? [] };
          const executed = executeBlock(state, block, parent, { rules }, genesis.powDifficultyBits);
          state.apply(executed.diff);
          parent = header;
        } catch (error) {
          const code = error instanceof ChainError ? error.code : 'VERIFY_FAILED';
          return { ok: false, height: height - 1, problem: { height, code, message: (error as Error).message } };
        }
        options.onProgress?.(height, head);
      }
    }
    const stored = new WorldState();
    stored.load({
      accounts: (await dataSource.getRepository(AccountEntity).find()).map(accountOfRow),
      members: (await dataSource.getRepository(MemberEntity).find()).map(memberOfRow),
      records: (await dataSource.getRepository(RecordEntity).find()).map(recordOfRow),
      nodes: (await dataSource.getRepository(NodeEntity).find()).map(nodeOfRow),
    });
    if (toHex(stored.recomputeAccumulator().digest()) !== toHex(state.root())) {
      return { ok: false, height: head, problem: { height: head, code: 'STATE_MISMATCH', message: 'stored state tables differ from the replayed state' } };
    }
    return { ok: true, height: head, headHash: toHex(blockHash(parent)) };
  } finally {
    await dataSource.destroy();
  }
}
