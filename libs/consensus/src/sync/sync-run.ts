import { ChainError, isNodeSetChange, LtHash, PendingState, withStateRoot, type Block, type BlockHeader, type EntryChanges, type ExecutedChanges, type Transaction } from '#chain';
import type { BlockToCommit } from '#ledger';
import type { BlockPipeline } from '../engine/block-pipeline.js';
import { encodeBlockRequest, type BlockResponse } from '../engine/block-sync-protocol.js';
import { ConsensusMessageType, type ConsensusTransport } from '../engine/transport.js';
import { checkServedBlocks, type BlockCheckContext, type CheckedBlock, type CommitProofCheck } from './block-checks.js';
import type { CommitLock } from './commit-lock.js';
import type { PeerBook } from './peer-book.js';
import { RangeScheduler, type ReceivedItem } from './range-scheduler.js';
import type { SyncTuning } from './sync-tuning.js';

// Blocks applied with one ledger write (one fsync) at most.
const MAX_BATCH = 64;

/** Why a peer is dropped. */
interface SyncFault {
  peerId: string;
  code: string;
  message: string;
}

function invalidBlock(peerId: string, block: Block, error: ChainError): SyncFault {
  return { peerId, code: 'SYNC_INVALID_BLOCK', message: `block ${block.header.height}: ${error.code}: ${error.message}` };
}

/** The first transaction whose signature does not verify, described; undefined when all do. */
function badSignatureIn(txs: readonly Transaction[]): string | undefined {
  const bad = txs.find((tx) => !tx.verifySignature());
  return bad ? `transaction ${bad.hashHex} has an invalid signature` : undefined;
}

/** Whether every transaction of a batch verified elsewhere (execution then skips their signatures). */
type SignatureVerdict = { ok: true; verified: boolean } | { ok: false; message: string };

/** A checked block waiting for its height, with the verdict on its transactions' signatures. */
interface FetchedBlock extends CheckedBlock {
  signatures: Promise<SignatureVerdict>;
}

/** What a sync run works with; the SyncManager provides it. */
export interface SyncRunContext {
  pipeline: BlockPipeline;
  transport: ConsensusTransport;
  peers: PeerBook;
  tuning: SyncTuning;
  checks: BlockCheckContext;
  /** Checked under the commit lock, when the block is next: the signers are those of the head. */
  checkProof: CommitProofCheck;
  commitLock: CommitLock;
  /** Connected peers allowed to serve blocks. */
  connectedPeers(): string[];
  /** The height to reach, re-read as peers announce new heads. */
  target(): bigint;
  isStopped(): boolean;
  badPeer(peerId: string, code: string, message: string): void;
  committed(block: Block, certificate: Uint8Array | undefined, peerId: string): Promise<void>;
  verifySignatures?: (txs: readonly Transaction[]) => Promise<boolean[]>;
  /** LtHash lanes of each block's entries (`LtHash.deltaOf`) on other threads; this thread otherwise. */
  stateDeltas?: (blocks: EntryChanges[]) => Promise<Uint16Array[]>;
  warn(message: string): void;
}

/** A block of a run, executed, its state root still to be checked. */
interface RunItem {
  received: ReceivedItem<FetchedBlock>;
  executed: ExecutedChanges;
}

/**
 * One catch-up: fetches the gap from several peers in parallel (RangeScheduler), checks each
 * answer as it arrives, verifies transaction signatures off the main thread, and applies blocks
 * strictly in height order under the commit lock. A peer whose answer or block fails any check
 * is dropped and its ranges are fetched from others.
 */
export class SyncRun {
  readonly scheduler: RangeScheduler<FetchedBlock>;
  readonly usedPeers = new Set<string>();
  private nextRequestId = 1;
  private readonly requestIds = new Map<number, number>();
  private waiters: Array<() => void> = [];
  committedBlocks = 0;

  constructor(private readonly context: SyncRunContext) {
    const next = context.pipeline.ledger.height + 1n;
    const { blocksPerRequest, maxOutstanding, maxPerPeer, maxAheadBlocks, requestTimeoutMs } = context.tuning;
    this.scheduler = new RangeScheduler<FetchedBlock>(next, context.target(), { blocksPerRequest, maxOutstanding, maxPerPeer, maxAheadBlocks, requestTimeoutMs });
  }

  /** Something changed (an answer, a new head): the loop looks again. */
  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  /** Runs until the target is applied, the run is stopped, or no peer can serve what is missing. */
  async run(): Promise<void> {
    const { scheduler, context } = this;
    const ledger = context.pipeline.ledger;
    let idleSinceMs: number | undefined;
    while (!context.isStopped()) {
      scheduler.skipTo(ledger.height + 1n);
      scheduler.raiseTarget(context.target());
      if (scheduler.isDone()) return;
      const now = Date.now();
      for (const expired of scheduler.expire(now)) {
        context.peers.ban(expired.peerId, now + context.tuning.timeoutSuspendMs, 'timeout');
        context.warn(`sync: ${expired.peerId} did not send blocks ${expired.from}..${expired.to} in time; asking another peer`);
      }
      for (const request of scheduler.assign(context.peers.candidates(context.connectedPeers(), now), now)) this.send(request.id, request.peerId, request.from, request.to);
      const next = scheduler.peekNext();
      if (next) {
        idleSinceMs = undefined;
        await this.apply(next);
        continue;
      }
      if (scheduler.outstanding().length === 0) {
        idleSinceMs ??= now;
        if (now - idleSinceMs > context.tuning.stallMs) return;
      } else idleSinceMs = undefined;
      await this.waitForWork(100);
    }
  }

  private send(id: number, peerId: string, from: bigint, to: bigint): void {
    const wireId = this.nextRequestId++;
    this.requestIds.set(wireId, id);
    const sent = this.context.transport.send(peerId, ConsensusMessageType.BLOCK_REQUEST, encodeBlockRequest({ requestId: wireId, fromHeight: from, maxBlocks: Number(to - from + 1n) }));
    if (!sent) {
      this.requestIds.delete(wireId);
      this.scheduler.fail(id);
      this.context.peers.ban(peerId, Date.now() + this.context.tuning.timeoutSuspendMs, 'no link');
    }
  }

  /** A peer answered one of this run's requests. */
  onResponse(from: string, response: BlockResponse): void {
    const id = this.requestIds.get(response.requestId);
    const request = id === undefined ? undefined : this.scheduler.awaited(id, from);
    if (!request) return;
    this.requestIds.delete(response.requestId);
    this.context.peers.recordHead(from, response.headHeight);
    if (response.blocks.length === 0) {
      // It has nothing from there (its head moved back or was announced too high): ask others.
      this.scheduler.fail(request.id);
      if (response.headHeight >= request.from) this.context.peers.ban(from, Date.now() + this.context.tuning.timeoutSuspendMs, 'empty answer');
      this.wake();
      return;
    }
    const checked = checkServedBlocks(response.blocks, response.certificates, request, this.context.checks);
    if (!checked.ok) {
      this.scheduler.fail(request.id);
      this.context.badPeer(from, checked.fault.code, checked.fault.message);
      this.wake();
      return;
    }
    const signatures = this.verifySignatures(checked.blocks);
    this.scheduler.complete(request.id, checked.blocks.map((block) => ({ ...block, signatures })));
    this.usedPeers.add(from);
    this.wake();
  }

  private verifySignatures(blocks: readonly CheckedBlock[]): Promise<SignatureVerdict> {
    const verify = this.context.verifySignatures;
    if (!verify) return Promise.resolve({ ok: true, verified: false });
    const txs = blocks.flatMap((b) => b.block.txs);
    return verify(txs).then(
      (results) => {
        const bad = results.findIndex((ok) => !ok);
        if (bad >= 0) return { ok: false, message: `transaction ${txs[bad].hashHex} has an invalid signature` };
        return { ok: true, verified: true };
      },
      // The verifier failing is not the peer's fault: execution verifies the signatures itself.
      () => ({ ok: true, verified: false }),
    );
  }

  /**
   * Applies the run of consecutive blocks that have arrived (up to `MAX_BATCH`): each checked
   * against its commit proof and executed on top of the ones before, then all committed in one
   * ledger transaction, so the run costs one durable write instead of one per block. A run ends
   * after a block that changes the node set, so every proof in it is judged by the same signers.
   * A block that fails ends the run there; the blocks before it still commit.
   *
   * This thread only executes: the transactions' signatures and the LtHash expansions of the
   * state entries are computed on the worker threads meanwhile (neither changes what a block
   * does, only whether it is valid), and both are settled, block by block in order, before
   * anything commits.
   */
  private async apply(next: ReceivedItem<FetchedBlock>): Promise<void> {
    const { scheduler, context } = this;
    const ledger = context.pipeline.ledger;
    const outcome = await context.commitLock.run(async (): Promise<{ applied: Array<ReceivedItem<FetchedBlock>>; fault?: SyncFault }> => {
      const run = this.executeRun(next);
      const deltas = this.stateDeltas(run.items.map((item) => item.executed.entries));
      const signatureFault = await this.settleSignatures(run.items.map((item) => item.received));
      const checked = this.checkStateRoots(run.items.slice(0, signatureFault?.index ?? run.items.length), await deltas);
      const fault = checked.fault ?? signatureFault?.fault ?? run.fault;
      const { batch, applied } = checked;
      // The engine may have committed these heights meanwhile (before the lock was ours).
      if (batch.length > 0 && batch[0].block.header.height === ledger.height + 1n) {
        // Let answers that arrived meanwhile be checked and their signatures sent to the workers,
        // which then verify them while this thread is busy writing the run.
        await new Promise((resolve) => setImmediate(resolve));
        await context.pipeline.commitMany(batch);
        this.committedBlocks += batch.length;
        for (const [i, { item, peerId }] of applied.entries()) await context.committed(batch[i].block, item.certificate, peerId);
        return { applied, fault };
      }
      return { applied: [], fault };
    });
    // Applied items leave the scheduler; if a peer was dropped meanwhile, run() re-aligns it on the head.
    for (const item of outcome.applied) {
      if (scheduler.peekNext() !== item) break;
      scheduler.advance();
    }
    if (outcome.fault) context.badPeer(outcome.fault.peerId, outcome.fault.code, outcome.fault.message);
  }

  /** Checks and executes the arrived run from `next` on, each block on top of the one before. */
  private executeRun(next: ReceivedItem<FetchedBlock>): { items: RunItem[]; fault?: SyncFault } {
    const { scheduler, context } = this;
    const items: RunItem[] = [];
    const pending = new PendingState(context.pipeline.ledger.state);
    let parent: BlockHeader = context.pipeline.ledger.headHeader;
    for (let offset = 0; offset < MAX_BATCH; offset++) {
      const received = offset === 0 ? next : scheduler.peekAhead(offset);
      if (!received) break;
      const { item, peerId } = received;
      if (item.block.header.height !== parent.height + 1n) break;
      const proof = context.checkProof(item.block, item.certificate);
      if (!proof.ok) return { items, fault: { peerId, code: 'SYNC_BAD_PROOF', message: `block ${item.block.header.height}: ${proof.code}` } };
      let executed;
      try {
        // Signatures and state roots are settled before commit, whatever execution assumes.
        executed = context.pipeline.validateChanges(item.block, () => true, { state: pending, parent });
      } catch (error) {
        if (!(error instanceof ChainError)) throw error;
        return { items, fault: invalidBlock(peerId, item.block, error) };
      }
      items.push({ received, executed });
      pending.applyChanges(executed.changes);
      parent = item.block.header;
      if (item.block.txs.some((tx) => isNodeSetChange(tx.body.payload.type))) break;
    }
    return { items };
  }

  /** Each block's LtHash lanes, from the worker threads when there are some. */
  private stateDeltas(blocks: EntryChanges[]): Promise<Uint16Array[]> {
    const inline = (): Uint16Array[] => blocks.map((block) => LtHash.deltaOf(block.removed, block.added));
    if (!this.context.stateDeltas || blocks.length === 0) return Promise.resolve(inline());
    // The threads failing is not the peer's fault: this thread expands the entries itself.
    return this.context.stateDeltas(blocks).catch(inline);
  }

  /** Completes each block's state root in order; the first that differs from its header ends the run. */
  private checkStateRoots(items: readonly RunItem[], deltas: readonly Uint16Array[]): { batch: BlockToCommit[]; applied: Array<ReceivedItem<FetchedBlock>>; fault?: SyncFault } {
    const batch: BlockToCommit[] = [];
    const applied: Array<ReceivedItem<FetchedBlock>> = [];
    let accumulator = this.context.pipeline.ledger.state.lthash();
    for (const [i, { received, executed }] of items.entries()) {
      const { item, peerId } = received;
      let complete;
      try {
        complete = withStateRoot(executed, accumulator, deltas[i], item.block.header);
      } catch (error) {
        if (!(error instanceof ChainError)) throw error;
        return { batch, applied, fault: invalidBlock(peerId, item.block, error) };
      }
      batch.push({ block: item.block, executed: complete, extras: { certificate: item.certificate } });
      applied.push(received);
      accumulator = complete.diff.lthash;
    }
    return { batch, applied };
  }

  /**
   * Waits for the signature verdicts of an executed run; the first block with an invalid
   * signature ends it. Blocks whose verification failed on the workers (not the peer's fault)
   * are verified here instead.
   */
  private async settleSignatures(applied: ReadonlyArray<ReceivedItem<FetchedBlock>>): Promise<{ index: number; fault: SyncFault } | undefined> {
    const verdicts = await Promise.all(applied.map(({ item }) => item.signatures));
    for (const [index, verdict] of verdicts.entries()) {
      const { item, peerId } = applied[index];
      if (verdict.ok && verdict.verified) continue;
      const message = verdict.ok ? badSignatureIn(item.block.txs) : verdict.message;
      if (message) return { index, fault: { peerId, code: 'SYNC_BAD_SIGNATURE', message } };
    }
    return undefined;
  }

  private waitForWork(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.push(done);
    });
  }
}
