import {
  blockHash,
  chainRulesOf,
  decodeBlockHeader,
  encodeBlockHeader,
  genesisBlock,
  genesisHash,
  genesisState,
  toHex,
  Transaction,
  WorldState,
  type Block,
  type BlockHeader,
  type ChainRules,
  type ExecutedBlock,
  type Genesis,
  type TxLimits,
} from '#chain';
import type { DataSource, EntityManager } from 'typeorm';
import { openLedgerDataSource, type LedgerDatabase } from './data-source.js';
import { chunk, fromBase64, toBase64, txHashKey } from './encoding.js';
import {
  AccountEntity,
  BlockEntity,
  KafkaOffsetEntity,
  MemberEntity,
  MetaEntity,
  ReceiptEntity,
  NodeEntity,
  RecordEntity,
  TransactionEntity,
} from './entities/index.js';
import { LedgerError, LedgerErrorCode } from './ledger-error.js';
import { bulkInsert, type SqlValue } from './bulk-sql.js';
import { accountOfRow, memberOfRow, netChanges, nodeOfRow, nodeRowsOf, recordOfRow, rowsOfDiff, type StateRows } from './state-rows.js';

/** The next Kafka offset to consume for one partition. */
export interface KafkaOffset {
  topic: string;
  partition: number;
  nextOffset: string;
}

/** What is stored with a block besides its transactions. */
export interface CommitExtras {
  /** Consensus proof of commitment (PBFT certificate, Raft leader signature). */
  certificate?: Uint8Array;
  /** Kafka offsets consumed up to this block (committed to Kafka only after this commit). */
  kafkaOffsets?: readonly KafkaOffset[];
}

/** A validated block and its effects, ready to commit. */
export interface BlockToCommit {
  block: Block;
  executed: ExecutedBlock;
  extras?: CommitExtras;
}

/** A committed block as read back from the ledger. */
export interface StoredBlock {
  header: BlockHeader;
  hashHex: string;
  txs: Transaction[];
  certificate?: Uint8Array;
}

/** A committed transaction and where it is. */
export interface StoredTransaction {
  tx: Transaction;
  height: number;
  position: number;
}

/** The final outcome of a transaction. */
export interface TxOutcome {
  hashHex: string;
  status: 'committed' | 'rejected';
  height?: number;
  position?: number;
  code: string;
  message?: string;
}

// Rows per INSERT: keeps every statement under SQLite's and Postgres' parameter limits.
const ROWS_PER_INSERT = 400;
const GENESIS_HASH_KEY = 'genesis_hash';
const TX_COLUMNS = ['height', 'position', 'hash', 'hash_key', 'sender', 'nonce', 'type', 'raw'];

/** Finds a transaction row by hash through the `hash_key` index; the whole hash tells apart rows sharing a key. */
function whereHash(hashHex: string): { hashKey: number; hash: string } {
  return { hashKey: txHashKey(hashHex), hash: hashHex };
}

/**
 * The ledger: committed blocks, transactions, final rejections and world state in SQL (TypeORM),
 * with the world state mirrored in memory for execution. Every block commits in ONE SQL transaction
 * (block, transactions, state changes, Kafka offsets), written in bulk; the in-memory
 * state changes only after that transaction commits. Commits are serialised.
 */
export class Ledger {
  private head: BlockHeader;
  private headHashHex: string;
  private commitQueue: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly dataSource: DataSource,
    readonly genesis: Genesis,
    readonly state: WorldState,
    head: BlockHeader,
  ) {
    this.head = head;
    this.headHashHex = toHex(blockHash(head));
  }

  /** Chain rules from the genesis. */
  get rules(): ChainRules {
    return chainRulesOf(this.genesis);
  }

  /** Transaction size limits from the genesis. */
  get txLimits(): TxLimits {
    return { maxTxBytes: this.genesis.limits.maxTxBytes, maxRecordValueBytes: this.genesis.limits.maxRecordValueBytes };
  }

  /**
   * Opens (creating and migrating if needed) the ledger for `genesis`. A fresh database gets
   * block 0 and the genesis state; an existing one must belong to the same genesis
   * (GENESIS_MISMATCH) and its state must match the head's state root (LEDGER_CORRUPT).
   */
  static async open(options: { database: LedgerDatabase; genesis: Genesis }): Promise<Ledger> {
    const dataSource = await openLedgerDataSource(options.database);
    try {
      return await Ledger.load(dataSource, options.genesis);
    } catch (error) {
      await dataSource.destroy();
      throw error;
    }
  }

  private static async load(dataSource: DataSource, genesis: Genesis): Promise<Ledger> {
    const expectedGenesis = toHex(genesisHash(genesis));
    const meta = await dataSource.getRepository(MetaEntity).findOneBy({ key: GENESIS_HASH_KEY });
    if (!meta) {
      const block = genesisBlock(genesis);
      const state = genesisState(genesis);
      await dataSource.transaction(async (manager) => {
        await manager.insert(MetaEntity, { key: GENESIS_HASH_KEY, value: expectedGenesis });
        await Ledger.insertBlockRow(manager, block, undefined);
        await Ledger.writeState(manager, {
          accounts: [...state.accounts].map(([address, a]) => ({ address, balance: a.balance.toString(), nonce: a.nonce.toString() })),
          emptiedAccounts: [],
          members: [...state.members].map(([publicKey, m]) => ({ publicKey, role: m.role, organization: m.organization, status: m.status })),
          records: [],
          nodes: nodeRowsOf(state.nodes),
        });
      });
      return new Ledger(dataSource, genesis, state, block.header);
    }
    if (meta.value !== expectedGenesis) {
      throw new LedgerError(LedgerErrorCode.GENESIS_MISMATCH, `database belongs to genesis ${meta.value}, not ${expectedGenesis}`);
    }
    const headRow = await dataSource.getRepository(BlockEntity).find({ order: { height: 'DESC' }, take: 1 });
    if (headRow.length === 0) throw new LedgerError(LedgerErrorCode.LEDGER_CORRUPT, 'genesis recorded but no blocks stored');
    const head = decodeBlockHeader(fromBase64(headRow[0].header));
    const state = new WorldState();
    state.load({
      accounts: (await dataSource.getRepository(AccountEntity).find()).map(accountOfRow),
      members: (await dataSource.getRepository(MemberEntity).find()).map(memberOfRow),
      records: (await dataSource.getRepository(RecordEntity).find()).map(recordOfRow),
      nodes: (await dataSource.getRepository(NodeEntity).find()).map(nodeOfRow),
    });
    const accumulator = state.recomputeAccumulator();
    state.restoreAccumulator(accumulator);
    if (toHex(state.root()) !== toHex(head.stateRoot)) {
      throw new LedgerError(LedgerErrorCode.LEDGER_CORRUPT, `stored state does not match the state root of block ${head.height}`);
    }
    return new Ledger(dataSource, genesis, state, head);
  }

  /** Height of the last committed block. */
  get height(): bigint {
    return this.head.height;
  }

  /** Header of the last committed block. */
  get headHeader(): BlockHeader {
    return this.head;
  }

  /** Hash (hex) of the last committed block. */
  get headHash(): string {
    return this.headHashHex;
  }

  /** The database, for components that keep their own tables alongside (consensus state). */
  get database(): DataSource {
    return this.dataSource;
  }

  /**
   * Commits the next block and its effects atomically, then updates the in-memory state.
   * The block must already be validated (executeBlock / buildBlock).
   */
  commitBlock(block: Block, executed: ExecutedBlock, extras: CommitExtras = {}): Promise<void> {
    return this.commitBlocks([{ block, executed, extras }]);
  }

  /**
   * Commits consecutive validated blocks in one SQL transaction (all or none), each validated on
   * top of the one before: how block sync applies a run of blocks with one durable write.
   */
  commitBlocks(items: readonly BlockToCommit[]): Promise<void> {
    const run = this.commitQueue.then(() => this.commitNow(items));
    this.commitQueue = run.catch(() => undefined);
    return run;
  }

  private async commitNow(items: readonly BlockToCommit[]): Promise<void> {
    if (this.closed) throw new LedgerError(LedgerErrorCode.LEDGER_CLOSED, 'ledger is closed');
    let parent = this.head;
    let parentHashHex = this.headHashHex;
    for (const { block } of items) {
      if (block.header.height !== parent.height + 1n || toHex(block.header.prevHash) !== parentHashHex) {
        throw new LedgerError(LedgerErrorCode.NOT_NEXT_BLOCK, `block ${block.header.height} does not extend ${parent.height}`);
      }
      parent = block.header;
      parentHashHex = toHex(blockHash(block.header));
    }
    await this.dataSource.transaction(async (manager) => {
      for (const { block, extras } of items) await Ledger.writeBlock(manager, block, extras ?? {});
      await Ledger.writeState(manager, rowsOfDiff(netChanges(items.map((item) => item.executed.diff))));
    });
    for (const { executed } of items) this.state.apply(executed.diff);
    this.head = parent;
    this.headHashHex = parentHashHex;
  }

  private static async writeBlock(manager: EntityManager, block: Block, extras: CommitExtras): Promise<void> {
    const { header } = block;
    const height = Number(header.height);
    const txRows: SqlValue[][] = block.txs.map((tx, position) => [
      height,
      position,
      tx.hashHex,
      txHashKey(tx.hashHex),
      toHex(tx.senderAddress),
      tx.body.nonce.toString(),
      tx.body.payload.type,
      toBase64(tx.bytes),
    ]);
    await Ledger.insertBlockRow(manager, block, extras.certificate);
    // The transaction row is the receipt of a committed transaction (height and position);
    // ledger_receipts holds final rejections only, so a commit writes one row per transaction.
    await bulkInsert(manager, 'ledger_transactions', TX_COLUMNS, txRows);
    if (extras.kafkaOffsets?.length) {
      const offsets = extras.kafkaOffsets.map((o) => [o.topic, o.partition, o.nextOffset]);
      await bulkInsert(manager, 'ledger_kafka_offsets', ['topic', 'partition', 'next_offset'], offsets, { kind: 'update', keys: ['topic', 'partition'], columns: ['next_offset'] });
    }
  }

  private static async insertBlockRow(manager: EntityManager, block: Block, certificate: Uint8Array | undefined): Promise<void> {
    const { header } = block;
    await manager.insert(BlockEntity, {
      height: Number(header.height),
      hash: toHex(blockHash(header)),
      prevHash: toHex(header.prevHash),
      header: toBase64(encodeBlockHeader(header)),
      txCount: header.txCount,
      timestampMs: header.timestampMs.toString(),
      certificate: certificate ? toBase64(certificate) : null,
    });
  }

  private static async writeState(manager: EntityManager, rows: StateRows): Promise<void> {
    await bulkInsert(
      manager,
      'ledger_accounts',
      ['address', 'balance', 'nonce'],
      rows.accounts.map((a) => [a.address, a.balance, a.nonce]),
      { kind: 'update', keys: ['address'], columns: ['balance', 'nonce'] },
    );
    if (rows.emptiedAccounts.length) await manager.delete(AccountEntity, rows.emptiedAccounts);
    await bulkInsert(
      manager,
      'ledger_members',
      ['public_key', 'role', 'organization', 'status'],
      rows.members.map((m) => [m.publicKey, m.role, m.organization, m.status]),
      { kind: 'update', keys: ['public_key'], columns: ['role', 'organization', 'status'] },
    );
    await bulkInsert(
      manager,
      'ledger_records',
      ['key', 'value', 'owner', 'height', 'tx_hash'],
      rows.records.map((r) => [r.key, r.value, r.owner, r.height, r.txHash]),
    );
    await bulkInsert(
      manager,
      'ledger_nodes',
      ['node_id', 'organization', 'consensus_public_key', 'spki_sha256', 'p2p_address', 'api_url', 'status', 'since_height'],
      rows.nodes.map((n) => [n.nodeId, n.organization, n.consensusPublicKey, n.spkiSha256, n.p2pAddress, n.apiUrl, n.status, n.sinceHeight]),
      { kind: 'update', keys: ['node_id'], columns: ['organization', 'consensus_public_key', 'spki_sha256', 'p2p_address', 'api_url', 'status', 'since_height'] },
    );
  }

  /** Records final rejections (transactions that will never commit), keeping committed ones intact. */
  async recordRejections(rejections: ReadonlyArray<{ hashHex: string; code: string; message: string }>): Promise<void> {
    if (rejections.length === 0) return;
    const rows = rejections.map((r) => [r.hashHex, 'rejected', r.code, r.message]);
    await bulkInsert(this.dataSource.manager, 'ledger_receipts', ['tx_hash', 'status', 'code', 'message'], rows, { kind: 'ignore', keys: ['tx_hash'] });
  }

  /** A committed block with its transactions, or undefined above the head. */
  async getBlock(height: number): Promise<StoredBlock | undefined> {
    const row = await this.dataSource.getRepository(BlockEntity).findOneBy({ height });
    if (!row) return undefined;
    const txRows = await this.dataSource.getRepository(TransactionEntity).find({ where: { height }, order: { position: 'ASC' } });
    const limits = this.txLimits;
    return {
      header: decodeBlockHeader(fromBase64(row.header)),
      hashHex: row.hash,
      txs: txRows.map((t) => Transaction.fromBytes(fromBase64(t.raw), limits)),
      certificate: row.certificate ? fromBase64(row.certificate) : undefined,
    };
  }

  /** Hashes of a block's transactions in order (for Merkle proofs). */
  async txHashesOfBlock(height: number): Promise<string[]> {
    const rows = await this.dataSource.getRepository(TransactionEntity).find({ select: { hash: true, position: true }, where: { height }, order: { position: 'ASC' } });
    return rows.map((r) => r.hash);
  }

  /** A committed transaction by hash. */
  async getTransaction(hashHex: string): Promise<StoredTransaction | undefined> {
    const row = await this.dataSource.getRepository(TransactionEntity).findOneBy(whereHash(hashHex));
    if (!row) return undefined;
    return { tx: Transaction.fromBytes(fromBase64(row.raw), this.txLimits), height: row.height, position: row.position };
  }

  /**
   * The final outcome of a transaction, if it has one. Committed wins: a transaction rejected
   * earlier may be resubmitted and commit, and its old rejection is then out of date.
   */
  async getOutcome(hashHex: string): Promise<TxOutcome | undefined> {
    const committed = await this.dataSource.getRepository(TransactionEntity).findOne({ select: { height: true, position: true }, where: whereHash(hashHex) });
    if (committed) return { hashHex, status: 'committed', height: committed.height, position: committed.position, code: 'OK' };
    const row = await this.dataSource.getRepository(ReceiptEntity).findOneBy({ txHash: hashHex });
    if (!row) return undefined;
    return {
      hashHex,
      status: row.status,
      height: row.height ?? undefined,
      position: row.position ?? undefined,
      code: row.code,
      message: row.message ?? undefined,
    };
  }

  /** Which of `hashHexes` are already committed (for de-duplication at admission). */
  async committedAmong(hashHexes: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const part of chunk(hashHexes, ROWS_PER_INSERT)) {
      if (part.length === 0) continue;
      const keys = [...new Set(part.map(txHashKey))];
      const rows = await this.dataSource.getRepository(TransactionEntity).createQueryBuilder('t').select('t.hash', 'hash').where('t.hash_key IN (:...keys)', { keys }).getRawMany<{ hash: string }>();
      // Keys are 48-bit prefixes: a row sharing one with a wanted hash is not necessarily wanted.
      const wanted = new Set(part);
      for (const row of rows) if (wanted.has(row.hash)) found.add(row.hash);
    }
    return found;
  }

  /** Kafka offsets stored with the last block that consumed from each partition. */
  async kafkaOffsets(): Promise<KafkaOffset[]> {
    const rows = await this.dataSource.getRepository(KafkaOffsetEntity).find();
    return rows.map((r) => ({ topic: r.topic, partition: r.partition, nextOffset: r.nextOffset }));
  }

  /** Waits for pending commits and closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.commitQueue;
    this.closed = true;
    await this.dataSource.destroy();
  }
}
