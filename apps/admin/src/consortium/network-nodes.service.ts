import type { DataSource } from 'typeorm';
import { HttpAccordError } from '#common';
import { MemberEntity } from '../db/entities/index.js';
import type { FrozenGenesis, GenesisService } from './genesis.service.js';
import { isNodeChangeItem, type GovernanceSender, type SubmittedNodeChange } from './governance.js';
import type { NodeChangeKind } from './node-change.js';
import { DEFAULT_MAX_LEARNER_LAG, preflightNodeChange, type NodeChangeRequest, type NodeHealth } from './node-preflight.js';
import { loadValidatorEntry } from './validator-entry.js';
import type { ReportedNode, ReportedNodeSet, ReportedTxStatus, ValidatorReader } from './validator-reader.js';
import type { ValidatorStatus, ValidatorStatusPoller } from './validator-status.js';

/** A chain node with what the admin's status poller last saw of it. */
export interface AnnotatedNode extends ReportedNode {
  reachable: boolean;
  /** Height from its last `/v1/status`, when it answered. */
  height: number | null;
  lastCheckedAt: string | null;
}

/** The last node change a validator accepted, with where it stands now. */
export interface LastNodeChange extends SubmittedNodeChange {
  state: ReportedTxStatus | 'unreachable';
}

/** The chain's node set as the most advanced reachable validator reports it. */
export interface NetworkView {
  /** Node id of the validator whose answer this is. */
  source: string;
  consensus: string;
  height: number;
  votersSince: number;
  nodes: AnnotatedNode[];
  lastChange: LastNodeChange | null;
}

/** A node change handed to the chain (`submitted`) or waiting in the outbox for a validator (`queued`). */
export interface NodeChangeResult {
  change: NodeChangeKind;
  nodeId: string;
  status: 'submitted' | 'queued';
  txHash: string | null;
  nonce: string | null;
}

/**
 * Node-set changes (add a learner or observer, promote a learner, remove a node) as governance
 * transactions. Each one is checked first against a fresh snapshot (the node set from the
 * validators, their `/v1/status`, the last change's commit) and goes only if the chain would take
 * it and the network would keep a quorum; changes run one at a time, so the second of two
 * concurrent requests sees the first as pending.
 */
export class NetworkNodesService {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly genesis: GenesisService,
    private readonly governance: GovernanceSender,
    private readonly poller: ValidatorStatusPoller,
    private readonly reader: ValidatorReader,
    private readonly maxLearnerLag: number = DEFAULT_MAX_LEARNER_LAG,
  ) {}

  async view(): Promise<NetworkView> {
    const frozen = await this.requireGenesis();
    const { source, set } = await this.readNodeSet();
    const statuses = new Map((await this.poller.list()).map((status) => [status.nodeId, status]));
    const last = await this.governance.lastNodeChange();
    return {
      source,
      consensus: frozen.genesis.consensus.type,
      height: set.height,
      votersSince: set.votersSince,
      nodes: set.nodes.map((node) => {
        const status = statuses.get(node.nodeId);
        return { ...node, reachable: status?.reachable ?? false, height: reportedHeight(status) ?? null, lastCheckedAt: status?.lastCheckedAt ?? null };
      }),
      lastChange: last ? { ...last, state: await this.transactionState(last.txHash) } : null,
    };
  }

  /** Adds an enrolled validator member to the network as a learner or an observer. */
  add(actor: string, nodeId: string, role: 'learner' | 'observer'): Promise<NodeChangeResult> {
    return this.oneAtATime(async () => {
      await this.requireGenesis();
      const member = await this.dataSource.getRepository(MemberEntity).findOneBy({ nodeId, role: 'validator' });
      if (!member) throw new HttpAccordError(404, 'VALIDATOR_NOT_FOUND', `no validator member has node id ${nodeId}`);
      if (member.status !== 'active') throw new HttpAccordError(409, 'MEMBER_STATE', `validator ${nodeId} is ${member.status}; only an approved, active validator can join`);
      const entry = await loadValidatorEntry(this.dataSource.manager, member);
      if (!entry) throw new HttpAccordError(409, 'NO_ACTIVE_CERTIFICATE', `validator ${nodeId} has no active certificate, so no TLS identity to join with`);
      return this.submit(actor, { kind: 'add', nodeId, role, spkiSha256: entry.spkiSha256, p2pAddress: entry.p2pAddress }, member.id);
    });
  }

  /** Promotes a learner to voter. */
  promote(actor: string, nodeId: string): Promise<NodeChangeResult> {
    return this.oneAtATime(async () => {
      await this.requireGenesis();
      return this.submit(actor, { kind: 'promote', nodeId });
    });
  }

  /** Removes a voter, learner or observer from the network (for good). */
  remove(actor: string, nodeId: string): Promise<NodeChangeResult> {
    return this.oneAtATime(async () => {
      await this.requireGenesis();
      return this.submit(actor, { kind: 'remove', nodeId });
    });
  }

  private async submit(actor: string, request: NodeChangeRequest, memberId?: string): Promise<NodeChangeResult> {
    const frozen = await this.requireGenesis();
    const { set } = await this.readNodeSet();
    await this.poller.pollOnce();
    const refusal = preflightNodeChange({
      consensus: frozen.genesis.consensus.type,
      nodes: set.nodes,
      health: healthByNode(await this.poller.list()),
      pendingChange: await this.pendingChange(),
      change: request,
      maxLearnerLag: this.maxLearnerLag,
    });
    if (refusal) throw new HttpAccordError(409, refusal.code, refusal.message);
    const change: NodeChangeKind = `node-${request.kind}`;
    const outcome = await this.governance.nodeSetChanged(actor, { change, nodeId: request.nodeId, memberId, role: request.kind === 'add' ? request.role : undefined });
    if (outcome.status === 'refused') throw new HttpAccordError(outcome.refusal.status, outcome.refusal.code, outcome.refusal.message);
    if (outcome.status === 'queued') return { change, nodeId: request.nodeId, status: 'queued', txHash: null, nonce: null };
    return { change, nodeId: request.nodeId, status: 'submitted', txHash: outcome.txHash, nonce: outcome.nonce };
  }

  /** Why the previous node change is not settled, or undefined when it is. */
  private async pendingChange(): Promise<string | undefined> {
    const queued = (await this.governance.pending()).find(isNodeChangeItem);
    if (queued) return `${queued.change} ${queued.nodeId} is still queued: no validator has accepted it yet`;
    const last = await this.governance.lastNodeChange();
    if (!last) return undefined;
    const state = await this.transactionState(last.txHash);
    const tx = `${last.change} ${last.nodeId} (tx ${last.txHash.slice(0, 16)}…)`;
    if (state === 'pending' || state === 'queued') return `${tx} is ${state}, not committed yet`;
    if (state === 'unreachable') return `${tx} cannot be checked: no validator answered`;
    // Committed, rejected, or known to no validator (dropped): the next change may go.
    return undefined;
  }

  /**
   * Where a transaction stands across the validators: settled (committed or rejected) if any
   * says so, since a follower may not have applied the block yet; pending if any still pools it.
   */
  private async transactionState(hash: string): Promise<ReportedTxStatus | 'unreachable'> {
    const answers = await Promise.all((await this.validatorUrls()).map(({ url }) => this.reader.transactionStatus(url, hash).catch(() => undefined)));
    for (const state of ['committed', 'rejected', 'pending', 'queued', 'unknown'] as const) if (answers.includes(state)) return state;
    return 'unreachable';
  }

  /** The node set from every reachable validator at once; the most advanced head wins. */
  private async readNodeSet(): Promise<{ source: string; set: ReportedNodeSet }> {
    const validators = await this.validatorUrls();
    const errors: string[] = [];
    const answers = await Promise.all(
      validators.map(async ({ nodeId, url }) => {
        try {
          return { source: nodeId, set: await this.reader.nodeSet(url) };
        } catch (error) {
          errors.push(`${nodeId}: ${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        }
      }),
    );
    let best: { source: string; set: ReportedNodeSet } | undefined;
    for (const answer of answers) if (answer && (!best || answer.set.height > best.set.height)) best = answer;
    if (!best) throw new HttpAccordError(503, 'VALIDATORS_UNREACHABLE', `no validator answered GET /v1/network/nodes${errors.length ? `: ${errors.sort().join('; ')}` : ' (none has a REST URL)'}`);
    return best;
  }

  private async validatorUrls(): Promise<{ nodeId: string; url: string }[]> {
    const validators = await this.dataSource.getRepository(MemberEntity).find({ where: { role: 'validator', status: 'active' }, order: { nodeId: 'ASC' } });
    return validators.filter((member) => member.restUrl).map((member) => ({ nodeId: member.nodeId ?? member.id, url: member.restUrl! }));
  }

  private async requireGenesis(): Promise<FrozenGenesis> {
    const frozen = await this.genesis.current();
    if (!frozen) throw new HttpAccordError(409, 'GENESIS_NOT_READY', 'the network has no genesis yet, so no node set to change');
    return frozen;
  }

  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

function reportedHeight(status: ValidatorStatus | undefined): number | undefined {
  const height = status?.reported?.height;
  return typeof height === 'number' && Number.isFinite(height) ? height : undefined;
}

function healthByNode(statuses: readonly ValidatorStatus[]): Map<string, NodeHealth> {
  return new Map(statuses.map((status) => [status.nodeId, { reachable: status.reachable, height: reportedHeight(status) }]));
}
