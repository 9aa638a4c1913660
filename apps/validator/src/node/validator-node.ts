import { join } from 'node:path';
import { signatureBackend } from '#chain';
import { AccordError } from '#common';
import { BlockPipeline, SoloEngine, type ConsensusEngine, type ConsensusStatus } from '#consensus';
import { Ledger, ledgerDatabaseFrom } from '#ledger';
import { Mempool } from '#mempool';
import type { ValidatorConfig } from '../config/validator-config.js';
import { Admission, inlineSignatureVerifier, type SignatureVerifier } from './admission.js';
import { CommitWaiters } from './commit-waiters.js';

/** Something that can log; pino and Nest's Logger both fit. */
export interface NodeLogger {
  info(message: string): void;
  error(message: string): void;
}

const consoleLogger: NodeLogger = { info: (m) => console.log(m), error: (m) => console.error(m) };

/**
 * One validator: ledger, mempool, admission, block pipeline and consensus engine, wired
 * together. The Nest app is a thin REST shell around this object.
 */
export class ValidatorNode {
  readonly waiters = new CommitWaiters();

  private constructor(
    readonly config: ValidatorConfig,
    readonly ledger: Ledger,
    readonly mempool: Mempool,
    readonly pipeline: BlockPipeline,
    readonly engine: ConsensusEngine,
    readonly admission: Admission,
    readonly verifier: SignatureVerifier,
  ) {}

  /** Opens the ledger, builds the pipeline and starts consensus. */
  static async start(config: ValidatorConfig, options: { logger?: NodeLogger; verifier?: SignatureVerifier } = {}): Promise<ValidatorNode> {
    const logger = options.logger ?? consoleLogger;
    const { genesis } = config;
    const database = ledgerDatabaseFrom({ databaseUrl: config.databaseUrl, sqlitePath: join(config.dataDir, 'ledger.sqlite'), schema: config.databaseSchema });
    const ledger = await Ledger.open({ database, genesis });
    const mempool = new Mempool({}, ledger.state, ledger.rules);
    const pipeline = new BlockPipeline(ledger, mempool, {
      nodeId: config.nodeId,
      maxTxsPerBlock: genesis.consensus.maxTxsPerBlock,
      powDifficultyBits: genesis.powDifficultyBits,
      clockMs: () => Date.now(),
    });
    const engine = ValidatorNode.createEngine(config, pipeline, logger);
    const verifier = options.verifier ?? inlineSignatureVerifier;
    const admission = new Admission(ledger, mempool, verifier, ledger.txLimits, {
      admitted: (readyCount) => engine.notifyTransactionsAdmitted(readyCount),
      evicted: (txs) => {
        const events = txs.map((tx) => ({ hashHex: tx.hashHex, code: 'MEMPOOL_EVICTED', message: 'evicted from a full pool (nonce gap)' }));
        void ledger.recordRejections(events).catch((error: unknown) => logger.error(`recording evictions failed: ${String(error)}`));
        node.waiters.onRejected(events);
      },
    });
    const node = new ValidatorNode(config, ledger, mempool, pipeline, engine, admission, verifier);
    pipeline.onCommitted((event) => node.waiters.onCommitted(event));
    pipeline.onRejected((events) => node.waiters.onRejected(events));
    await engine.start();
    logger.info(`validator ${config.nodeId} on chain ${genesis.chainId}: height ${ledger.height}, consensus ${engine.type}, signatures ${signatureBackend()}`);
    return node;
  }

  private static createEngine(config: ValidatorConfig, pipeline: BlockPipeline, logger: NodeLogger): ConsensusEngine {
    const consensus = config.genesis.consensus;
    if (consensus.type === 'solo') {
      return new SoloEngine(pipeline, {
        blockIntervalMs: consensus.blockIntervalMs,
        maxTxsPerBlock: consensus.maxTxsPerBlock,
        onError: (error) => logger.error(`block production failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
      });
    }
    throw new AccordError('CONSENSUS_UNAVAILABLE', `consensus '${consensus.type}' is not available in this build of the validator`);
  }

  /** Consensus status for `/v1/status`. */
  consensusStatus(): ConsensusStatus {
    return this.engine.status();
  }

  /** Stops consensus, releases waiters and closes the ledger. */
  async close(): Promise<void> {
    await this.engine.stop();
    this.waiters.releaseAll();
    await this.ledger.close();
  }
}
