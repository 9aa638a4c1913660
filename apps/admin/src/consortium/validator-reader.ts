import { AccordError } from '#common';

/** A node of the chain's node set, as a validator's `GET /v1/network/nodes` reports it. */
export interface ReportedNode {
  nodeId: string;
  organization: string;
  role: 'voter' | 'learner' | 'observer' | 'removed';
  consensusPublicKey: string;
  spkiSha256: string;
  p2pAddress: string;
  apiUrl: string;
  sinceHeight: number;
}

/** The chain's node set at a validator's head. */
export interface ReportedNodeSet {
  height: number;
  votersSince: number;
  nodes: ReportedNode[];
}

/** Where a transaction stands at a validator; `unknown` when it has never heard of it. */
export type ReportedTxStatus = 'pending' | 'queued' | 'committed' | 'rejected' | 'unknown';

const REQUEST_TIMEOUT_MS = 3_000;
const MAX_BODY_BYTES = 1024 * 1024;
const ROLES = new Set(['voter', 'learner', 'observer', 'removed']);
const TX_STATUSES = new Set(['pending', 'queued', 'committed', 'rejected']);

/** Reads the chain's node set and transaction statuses from validators' REST APIs. */
export class ValidatorReader {
  constructor(private readonly fetchImpl: typeof fetch = fetch) {}

  /** `GET <restUrl>/v1/network/nodes`, checked for shape: a validator's answer is input too. */
  async nodeSet(restUrl: string): Promise<ReportedNodeSet> {
    const body = await this.getJson(restUrl, '/v1/network/nodes');
    if (!isRecord(body) || !Array.isArray(body.nodes) || typeof body.height !== 'number' || typeof body.votersSince !== 'number') {
      throw new AccordError('BAD_VALIDATOR_ANSWER', 'the node set is not { height, votersSince, nodes[] }');
    }
    const nodes = body.nodes.map((node: unknown, i) => {
      if (!isRecord(node) || typeof node.nodeId !== 'string' || typeof node.role !== 'string' || !ROLES.has(node.role)) {
        throw new AccordError('BAD_VALIDATOR_ANSWER', `nodes[${i}] has no node id or a role other than voter, learner, observer or removed`);
      }
      const text = (key: string): string => (typeof node[key] === 'string' ? node[key] : '');
      return {
        nodeId: node.nodeId,
        organization: text('organization'),
        role: node.role as ReportedNode['role'],
        consensusPublicKey: text('consensusPublicKey'),
        spkiSha256: text('spkiSha256'),
        p2pAddress: text('p2pAddress'),
        apiUrl: text('apiUrl'),
        sinceHeight: typeof node.sinceHeight === 'number' ? node.sinceHeight : 0,
      };
    });
    return { height: body.height, votersSince: body.votersSince, nodes };
  }

  /** `GET <restUrl>/v1/transactions/<hash>` → its status (404 TX_NOT_FOUND → unknown). */
  async transactionStatus(restUrl: string, hash: string): Promise<ReportedTxStatus> {
    const response = await this.fetchImpl(new URL(`/v1/transactions/${hash}`, restUrl), { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await response.text();
    if (response.status === 404) return 'unknown';
    if (!response.ok) throw new AccordError('BAD_VALIDATOR_ANSWER', `HTTP ${response.status}`);
    const body: unknown = JSON.parse(text);
    if (!isRecord(body) || typeof body.status !== 'string' || !TX_STATUSES.has(body.status)) throw new AccordError('BAD_VALIDATOR_ANSWER', 'no transaction status');
    return body.status as ReportedTxStatus;
  }

  private async getJson(restUrl: string, path: string): Promise<unknown> {
    const response = await this.fetchImpl(new URL(path, restUrl), { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await response.text();
    if (!response.ok) throw new AccordError('BAD_VALIDATOR_ANSWER', `HTTP ${response.status}`);
    if (text.length > MAX_BODY_BYTES) throw new AccordError('BAD_VALIDATOR_ANSWER', 'answer too large');
    return JSON.parse(text);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
