import type { AdmittedEvent, ConsensusEngine, ConsensusStatus } from '../engine/engine.js';
import type { BlockPipeline } from '../engine/block-pipeline.js';

/** Timing of the solo engine. */
export interface SoloOptions {
  blockIntervalMs: number;
  maxTxsPerBlock: number;
  /** Called when producing a block fails (logged by the shell); the engine keeps going. */
  onError?: (error: unknown) => void;
}

/**
 * One validator, no peers: cuts a block every `blockIntervalMs` when transactions are waiting,
 * or as soon as `maxTxsPerBlock` are ready. Blocks are produced one at a time.
 */
export class SoloEngine implements ConsensusEngine {
  readonly type = 'solo' as const;
  private timer?: NodeJS.Timeout;
  private producing?: Promise<void>;
  private running = false;

  constructor(
    private readonly pipeline: BlockPipeline,
    private readonly options: SoloOptions,
  ) {}

  async start(): Promise<void> {
    this.running = true;
    this.schedule(this.options.blockIntervalMs);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    await this.producing;
  }

  status(): ConsensusStatus {
    return { type: 'solo', role: 'solo', commitHeight: this.pipeline.ledger.height.toString() };
  }

  notifyTransactionsAdmitted({ readyCount }: AdmittedEvent): void {
    if (readyCount >= this.options.maxTxsPerBlock && !this.producing) this.schedule(0);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.producing = this.produce().finally(() => {
        this.producing = undefined;
        this.schedule(this.options.blockIntervalMs);
      });
    }, delayMs);
  }

  private async produce(): Promise<void> {
    try {
      // Keep cutting full blocks while a backlog remains, then wait for the interval.
      while (this.running && this.pipeline.hasPending()) {
        const built = await this.pipeline.propose();
        if (!built) return;
        await this.pipeline.commit(built.block, built);
        if (built.block.txs.length < this.options.maxTxsPerBlock) return;
      }
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
