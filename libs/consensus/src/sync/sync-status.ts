/** What `/v1/status` and the metrics report about block sync. */
export interface SyncStatus {
  /** `syncing` while blocks are being fetched from peers. */
  state: 'syncing' | 'synced';
  /** Height of the last committed block. */
  height: string;
  /** Height being synced to; the best known peer head when synced. */
  targetHeight: string;
  /** Blocks behind the best known peer head. */
  lagBlocks: string;
  /** Peers that served blocks in the current (or last) sync. */
  peers: string[];
  /** Sync throughput over the last seconds. */
  blocksPerSecond: number;
  txsPerSecond: number;
  /** Since start: blocks and transactions committed through sync, peers dropped for bad blocks. */
  blocksSynced: number;
  txsSynced: number;
  badPeers: number;
}

/** What sync reports as it goes (metrics, logs, the CLI progress bar). */
export type SyncEvent =
  | { type: 'started'; fromHeight: bigint; targetHeight: bigint }
  | { type: 'committed'; height: bigint; txs: number; peerId: string }
  | { type: 'bad-peer'; peerId: string; code: string; message: string }
  | { type: 'finished'; height: bigint; blocks: number; reachedTarget: boolean };

/** A source of sync status and events: the validator node reads one from its engine. */
export interface SyncReporter {
  status(): SyncStatus;
  onEvent(listener: (event: SyncEvent) => void): void;
}
