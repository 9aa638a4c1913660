import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ConsensusEngine, CommittedBlockEvent, SyncReporter } from '#consensus';
import type { Ledger } from '#ledger';
import type { Mempool } from '#mempool';
import { HttpMetrics } from '#common';

/**
 * The validator's Prometheus metrics (units in names). Gauges read live state when scraped, so
 * the hot paths only touch counters and histograms.
 */
export class NodeMetrics {
  readonly registry = new Registry();
  readonly elections: Counter;
  readonly proposalCommitSeconds: Histogram;
  readonly blockCommitSeconds: Histogram;
  readonly committedTransactions: Counter;
  readonly http: HttpMetrics;
  readonly powSealSeconds: Histogram;
  readonly powHashRate: Gauge;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'accord_validator_' });
    const registers = [this.registry];
    this.elections = new Counter({ name: 'accord_consensus_elections_won_total', help: 'Elections this node won (Raft) / views it led (PBFT)', registers });
    this.proposalCommitSeconds = new Histogram({
      name: 'accord_consensus_proposal_to_commit_seconds',
      help: 'Time from proposing a block to committing it, on the proposer',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.blockCommitSeconds = new Histogram({
      name: 'accord_ledger_block_commit_seconds',
      help: 'Duration of the SQL transaction committing a block',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      registers,
    });
    this.committedTransactions = new Counter({ name: 'accord_ledger_committed_transactions_total', help: 'Transactions committed in blocks', registers });
    this.powSealSeconds = new Histogram({ name: 'accord_pow_seal_seconds', help: 'Time to find a proof-of-work seal for a proposed block', buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30], registers });
    this.powHashRate = new Gauge({ name: 'accord_pow_hash_rate_hashes_per_second', help: 'Hash rate of the last seal, all workers together', registers });
    this.http = new HttpMetrics(this.registry);
  }

  /** Registers gauges that read the node's live state at scrape time. */
  observe(ledger: Ledger, mempool: Mempool, engine: ConsensusEngine): void {
    const registers = [this.registry];
    new Gauge({ name: 'accord_ledger_height_blocks', help: 'Height of the last committed block', registers, collect() { this.set(Number(ledger.height)); } });
    new Gauge({
      name: 'accord_consensus_is_leader',
      help: '1 when this node is the Raft leader / PBFT primary (or solo)',
      registers,
      collect() {
        const role = engine.status().role;
        this.set(role === 'leader' || role === 'primary' || role === 'solo' ? 1 : 0);
      },
    });
    new Gauge({ name: 'accord_consensus_term', help: 'Raft term or PBFT view', registers, collect() { this.set(Number(engine.status().epoch ?? 0)); } });
    new Gauge({ name: 'accord_consensus_commit_height_blocks', help: 'Committed height as consensus reports it', registers, collect() { this.set(Number(engine.status().commitHeight)); } });
    new Gauge({
      name: 'accord_mempool_transactions',
      help: 'Pooled transactions by status',
      labelNames: ['status'],
      registers,
      collect() {
        this.set({ status: 'ready' }, mempool.readyCount());
        this.set({ status: 'queued' }, mempool.queuedCount());
      },
    });
    new Gauge({ name: 'accord_mempool_bytes', help: 'Bytes of pooled transactions', registers, collect() { this.set(mempool.bytes()); } });
    new Gauge({
      name: 'accord_mempool_rejections',
      help: 'Admission refusals since start, by code',
      labelNames: ['code'],
      registers,
      collect() {
        for (const [code, count] of Object.entries(mempool.stats().rejectedByCode)) this.set({ code }, count);
      },
    });
  }

  /** Registers block sync's gauges (read at scrape time) and counters (fed by its events). */
  observeSync(sync: SyncReporter): void {
    const registers = [this.registry];
    new Gauge({ name: 'accord_sync_height', help: 'Height of the last committed block, as block sync sees it', registers, collect() { this.set(Number(sync.status().height)); } });
    new Gauge({ name: 'accord_sync_target_height', help: 'Height block sync is fetching up to (the best peer head when synced)', registers, collect() { this.set(Number(sync.status().targetHeight)); } });
    new Gauge({ name: 'accord_sync_lag_blocks', help: 'Blocks behind the best head peers announced', registers, collect() { this.set(Number(sync.status().lagBlocks)); } });
    new Gauge({ name: 'accord_sync_syncing', help: '1 while block sync is catching up', registers, collect() { this.set(sync.status().state === 'syncing' ? 1 : 0); } });
    const blocks = new Counter({ name: 'accord_sync_blocks_total', help: 'Blocks committed through block sync', registers });
    const txs = new Counter({ name: 'accord_sync_transactions_total', help: 'Transactions committed through block sync', registers });
    const badPeers = new Counter({ name: 'accord_sync_bad_peers_total', help: 'Peers dropped from sync for serving a bad block, by reason', labelNames: ['code'], registers });
    sync.onEvent((event) => {
      if (event.type === 'committed') {
        blocks.inc();
        txs.inc(event.txs);
      } else if (event.type === 'bad-peer') badPeers.inc({ code: event.code });
    });
  }

  /** Pipeline listener: a block committed. */
  onCommitted(event: CommittedBlockEvent): void {
    this.blockCommitSeconds.observe(event.commitMs / 1000);
    this.committedTransactions.inc(event.block.txs.length);
  }
}
