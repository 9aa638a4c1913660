import { join } from 'node:path';
import { blockHash, nodeSetOf, sameNodeSet, signatureBackend, type NodeSet } from '#chain';
import { AccordError, createLogger } from '#common';
import type { Logger } from 'pino';
import {
  BlockPipeline,
  epochOf,
  FollowerEngine,
  NativeSecp256k1Authenticator,
  PbftEngine,
  RaftEngine,
  SeededRandom,
  SoloEngine,
  SqlPbftStorage,
  SqlRaftStorage,
  resumeState,
  votersOf,
  testByzantineModeFrom,
  type ConsensusEngine,
  type ConsensusStatus,
  type ConsensusTransport,
  commitProofCheck,
  SyncManager,
  type SyncStatus,
} from '#consensus';
import type { PeerManager } from '#p2p';
import { Ledger, ledgerDatabaseFrom } from '#ledger';
import { Mempool, type KafkaIngress } from '#mempool';
import { loadConsensusKey, type ValidatorConfig } from '../config/validator-config.js';
import { startKafkaIngress } from '../kafka/kafka-node.js';
import { Admission, type SignatureVerifier } from './admission.js';
import { BatchSignatureVerifier, BlockSealer } from './hashing.js';
import { CommitWaiters } from './commit-waiters.js';
import { createPeerManager, nodesOf, peersOf } from './network.js';
import { participationOf, RoleSwitchingEngine, type Participation } from './role-engine.js';
import { NodeMetrics } from './node-metrics.js';

/** Something that can log; pino and Nest's Logger both fit. */
export interface NodeLogger {
  info(message: string): void;
  warn?(message: string): void;
  error(message: string): void;
}

/** Adapts a pino logger to the node's plain-message logging. */
function nodeLoggerOf(logger: Logger): NodeLogger {
  return { info: (m) => logger.info(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) };
}

/**
 * One validator: ledger, mempool, admission, block pipeline and consensus engine, wired
 * together. The Nest app is a thin REST shell around this object.
 */
// Transactions stuck behind a nonce gap leave the pool after this long (the gap was never filled).
const QUEUED_MAX_AGE_MS = 10 * 60_000;
const QUEUED_EXPIRY_CHECK_MS = 30_000;

export class ValidatorNode {
  readonly waiters = new CommitWaiters();
  /** Structured logger of this node (level adjustable at runtime). */
  logger!: Logger;
  private expiryTimer?: NodeJS.Timeout;
  readonly metrics: NodeMetrics;
  /** Block sync, on nodes with peers. */
  sync?: SyncManager;
  /** The Kafka ingress, when brokers are configured. */
  kafka?: KafkaIngress;

  private constructor(
    readonly config: ValidatorConfig,
    readonly ledger: Ledger,
    readonly mempool: Mempool,
    readonly pipeline: BlockPipeline,
    readonly engine: RoleSwitchingEngine,
    readonly admission: Admission,
    readonly verifier: SignatureVerifier,
    readonly peers: PeerManager | undefined,
    metrics: NodeMetrics,
    private readonly closeables: ReadonlyArray<{ close(): Promise<void> }>,
  ) {
    this.metrics = metrics;
  }

  /** Opens the ledger, builds the pipeline and starts consensus. */
  static async start(config: ValidatorConfig, options: { logger?: NodeLogger; verifier?: SignatureVerifier } = {}): Promise<ValidatorNode> {
    const structured = createLogger('accord-validator').child({ nodeId: config.nodeId });
    const logger = options.logger ?? nodeLoggerOf(structured);
    const { genesis } = config;
    const database = ledgerDatabaseFrom({ databaseUrl: config.databaseUrl, sqlitePath: join(config.dataDir, 'ledger.sqlite'), schema: config.databaseSchema });
    const ledger = await Ledger.open({ database, genesis });
    const mempool = new Mempool({}, ledger.state, ledger.rules);
    const metrics = new NodeMetrics();
    const sealer = genesis.powDifficultyBits > 0
      ? BlockSealer.create({
          redisUrl: config.redisUrl,
          onSealed: (hashes, elapsedMs) => {
            metrics.powSealSeconds.observe(elapsedMs / 1000);
            if (elapsedMs > 0) metrics.powHashRate.set((hashes * 1000) / elapsedMs);
          },
        })
      : undefined;
    const pipeline = new BlockPipeline(ledger, mempool, {
      nodeId: config.nodeId,
      maxTxsPerBlock: genesis.consensus.maxTxsPerBlock,
      powDifficultyBits: genesis.powDifficultyBits,
      clockMs: () => Date.now(),
      sealer,
    });
    const peers = genesis.consensus.type === 'solo' ? undefined : createPeerManager(config, ledger.state, structured.child({ component: 'p2p' }), metrics.registry);
    // A verifier passed in belongs to the caller; the one created here is closed with the node.
    const ownVerifier = options.verifier ? undefined : BatchSignatureVerifier.create({ chainId: genesis.chainId, limits: ledger.txLimits, redisUrl: config.redisUrl });
    const verifier: SignatureVerifier = options.verifier ?? (ownVerifier as BatchSignatureVerifier);
    // Forwarded transactions reach the engine before `node` exists; they are only admitted
    // once the engine has started, after `node` is assigned.
    const admitForwarded = (txs: Uint8Array[]): Promise<void> => node.admission.submit(txs, 'peer').then(() => undefined);
    const sync = peers ? ValidatorNode.createSync(config, pipeline, peers, logger, verifier) : undefined;
    const createEngine = (participation: Participation): Promise<ConsensusEngine> =>
      participation === 'consensus' || !peers
        ? ValidatorNode.createEngine(config, pipeline, mempool, peers, logger, admitForwarded, metrics, sync)
        : Promise.resolve(ValidatorNode.createFollower(config, pipeline, peers, sync));
    const engine = new RoleSwitchingEngine(genesis.consensus.type, () => participationOf(genesis.consensus.type, ledger.state, config.nodeId), createEngine, logger);
    const admission = new Admission(ledger, mempool, verifier, ledger.txLimits, {
      admitted: (readyCount, txs, source) => engine.notifyTransactionsAdmitted({ readyCount, txs, source }),
      evicted: (txs) => {
        const events = txs.map((tx) => ({ hashHex: tx.hashHex, code: 'MEMPOOL_EVICTED', message: 'evicted from a full pool (nonce gap)' }));
        void ledger.recordRejections(events).catch((error: unknown) => logger.error(`recording evictions failed: ${String(error)}`));
        node.waiters.onRejected(events);
      },
    });
    const closeables = [ownVerifier, sealer].filter((c) => c !== undefined);
    const node = new ValidatorNode(config, ledger, mempool, pipeline, engine, admission, verifier, peers, metrics, closeables);
    node.logger = structured;
    metrics.observe(ledger, mempool, engine);
    pipeline.onCommitted((event) => metrics.onCommitted(event));
    pipeline.onCommitted((event) => node.waiters.onCommitted(event));
    pipeline.onRejected((events) => node.waiters.onRejected(events));
    let nodeSet: NodeSet = nodeSetOf(ledger.state);
    pipeline.onCommitted(() => {
      const next = nodeSetOf(ledger.state);
      if (sameNodeSet(next, nodeSet)) return;
      nodeSet = next;
      // Joined nodes may now connect (and are dialed), removed ones are cut off; the engine
      // follows this node's own role.
      peers?.setValidators(peersOf(nodesOf(ledger.state), config.p2pDialOverrides ?? {}));
      engine.reconcile();
    });
    node.expiryTimer = setInterval(() => node.expireQueued(), QUEUED_EXPIRY_CHECK_MS);
    node.expiryTimer.unref();
    node.sync = sync;
    if (sync) metrics.observeSync(sync);
    await peers?.start();
    sync?.start();
    await engine.start();
    if (config.kafkaBrokers?.length) node.kafka = await startKafkaIngress({ nodeId: config.nodeId, ledger, mempool, pipeline, admission, registry: metrics.registry, logger }, config.kafkaBrokers);
    logger.info(`validator ${config.nodeId} on chain ${genesis.chainId}: height ${ledger.height}, consensus ${engine.type}, signatures ${signatureBackend()}`);
    return node;
  }

  private static async createEngine(
    config: ValidatorConfig,
    pipeline: BlockPipeline,
    mempool: Mempool,
    transport: ConsensusTransport | undefined,
    logger: NodeLogger,
    admitForwarded: (txs: Uint8Array[]) => Promise<void>,
    metrics: NodeMetrics,
    sync: SyncManager | undefined,
  ): Promise<ConsensusEngine> {
    const consensus = config.genesis.consensus;
    const onError = (error: unknown): void => logger.error(`block production failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    if (consensus.type === 'solo') {
      metrics.elections.inc();
      return new SoloEngine(pipeline, { blockIntervalMs: consensus.blockIntervalMs, maxTxsPerBlock: consensus.maxTxsPerBlock, onError });
    }
    if (consensus.type === 'raft' && transport && sync) {
      const storage = await SqlRaftStorage.open(pipeline.ledger.database);
      const tickMs = consensus.heartbeatIntervalMs;
      const members = nodeSetOf(pipeline.ledger.state);
      return new RaftEngine(pipeline, storage, transport, {
        nodeId: config.nodeId,
        chainId: config.genesis.chainId,
        consensusKey: loadConsensusKey(config, pipeline.ledger.state.node(config.nodeId)?.consensusPublicKey),
        // Leader signatures are checked against the voters the chain records at the parent block.
        validatorsAt: () => votersOf(pipeline.ledger.state),
        sync,
        voters: members.voters,
        learners: members.learners,
        tickMs,
        heartbeatTicks: 1,
        electionTicks: Math.max(3, Math.round(consensus.electionTimeoutMs / tickMs)),
        blockIntervalMs: consensus.blockIntervalMs,
        maxTxsPerBlock: consensus.maxTxsPerBlock,
        // Election timeouts only need to differ between nodes; seeding by node id keeps a
        // restarted node's behaviour reproducible in tests.
        random: new SeededRandom(hashSeed(config.nodeId) ^ Date.now()),
        logger: { info: logger.info, warn: logger.warn ?? logger.info, error: logger.error },
        admitForwarded,
      }, {
        onElection: () => metrics.elections.inc(),
        onProposalCommitted: (latencyMs) => metrics.proposalCommitSeconds.observe(latencyMs / 1000),
      });
    }
    if (consensus.type === 'pbft' && transport && sync) {
      // PBFT: state in table pbft_state; views time out after 4 election timeouts without a commit.
      const storage = new SqlPbftStorage(pipeline.ledger.database);
      const tickMs = consensus.heartbeatIntervalMs;
      const viewChangeTimeoutTicks = Math.max(10, Math.round((4 * consensus.electionTimeoutMs) / tickMs));
      const ledger = pipeline.ledger;
      const epoch = epochOf(nodeSetOf(ledger.state));
      const epochBlock = epoch.height === Number(ledger.height) ? ledger.headHeader : (await ledger.getBlock(epoch.height))?.header;
      if (!epochBlock) throw new AccordError('LEDGER_CORRUPT', `block ${epoch.height} (where the validator set changed) is missing`);
      const restored = resumeState(await storage.load(), epoch, blockHash(epochBlock));
      return new PbftEngine(pipeline, storage, restored, transport, {
        nodeId: config.nodeId,
        chainId: config.genesis.chainId,
        validators: epoch.validators,
        epoch,
        // Keys come from the chain: validators that joined later sign with the key it recorded.
        authenticator: new NativeSecp256k1Authenticator(loadConsensusKey(config, ledger.state.node(config.nodeId)?.consensusPublicKey), (id) => ledger.state.node(id)?.consensusPublicKey),
        tickMs,
        viewChangeTimeoutTicks,
        maxTimeoutDoublings: 3,
        checkpointIntervalHeights: 16,
        blockIntervalMs: consensus.blockIntervalMs,
        maxTxsPerBlock: consensus.maxTxsPerBlock,
        // Idle chains get an empty block per half view-change timeout, not per block interval.
        emptyBlockIntervalMs: (viewChangeTimeoutTicks * tickMs) / 2,
        logger: { info: logger.info, warn: logger.warn ?? logger.info, error: logger.error },
        admitForwarded,
        testByzantine: testByzantineModeFrom(process.env),
        sync,
      }, {
        onViewChangeLed: () => metrics.elections.inc(),
        onProposalCommitted: (latencyMs) => metrics.proposalCommitSeconds.observe(latencyMs / 1000),
      });
    }
    throw new AccordError('CONSENSUS_UNAVAILABLE', `consensus '${consensus.type}' is not available in this build of the validator`);
  }

  /** The engine of a node that follows the chain without taking part in consensus. */
  private static createFollower(config: ValidatorConfig, pipeline: BlockPipeline, transport: ConsensusTransport, sync: SyncManager | undefined): ConsensusEngine {
    const ledger = pipeline.ledger;
    return new FollowerEngine(transport, {
      type: config.genesis.consensus.type,
      role: () => (ledger.state.node(config.nodeId)?.status === 'learner' ? 'learner' : 'observer'),
      voters: () => nodeSetOf(ledger.state).voters,
      height: () => ledger.height,
      follow: (on) => sync?.setFollowing(on),
    });
  }

  /** Block sync status for `/v1/status` (a solo node has nobody to sync from). */
  syncStatus(): SyncStatus {
    const height = this.ledger.height.toString();
    return this.sync?.status() ?? { state: 'synced', height, targetHeight: height, lagBlocks: '0', peers: [], blocksPerSecond: 0, txsPerSecond: 0, blocksSynced: 0, txsSynced: 0, badPeers: 0 };
  }

  /** Fetched blocks' signatures are verified in batches off the main thread; proofs against the validators. */
  private static createSync(config: ValidatorConfig, pipeline: BlockPipeline, transport: ConsensusTransport, logger: NodeLogger, verifier: SignatureVerifier): SyncManager {
    return new SyncManager(pipeline, transport, {
      chainId: config.genesis.chainId,
      logger: { info: logger.info, warn: logger.warn ?? logger.info },
      checkProof: commitProofCheck(config.genesis.consensus.type, config.genesis.chainId, () => votersOf(pipeline.ledger.state)),
      // Any authenticated peer may serve blocks: each one is checked against its commit proof.
      isAllowedPeer: (peerId) => peerId !== config.nodeId,
      verifySignatures: (txs) => verifier.verifyAll(txs),
      stateDeltas: verifier instanceof BatchSignatureVerifier ? verifier.stateDeltas : undefined,
    });
  }

  /** Consensus status for `/v1/status`. */
  consensusStatus(): ConsensusStatus {
    return this.engine.status();
  }

  /** Drops gapped transactions that waited too long, and reports them as rejected. */
  private expireQueued(): void {
    const { dropped } = this.mempool.expireQueued(Date.now(), QUEUED_MAX_AGE_MS);
    if (dropped.length === 0) return;
    const events = dropped.map((d) => ({ hashHex: d.tx.hashHex, code: d.code, message: 'expired waiting for a lower nonce' }));
    void this.ledger.recordRejections(events).catch(() => undefined);
    this.waiters.onRejected(events);
  }

  /** Stops consensus, releases waiters and closes the ledger. */
  async close(): Promise<void> {
    clearInterval(this.expiryTimer);
    await this.kafka?.stop();
    await this.engine.stop();
    await this.sync?.stop();
    await this.peers?.stop();
    await Promise.all(this.closeables.map((c) => c.close()));
    this.waiters.releaseAll();
    await this.ledger.close();
  }
}

function hashSeed(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}
