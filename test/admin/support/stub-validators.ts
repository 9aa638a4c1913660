import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NODE_ROLE_NAMES, toHex, Transaction, TxType, type GenesisValidator } from '#chain';

/** A node of the stub chain's node set, in the validator's `/v1/network/nodes` shape. */
export interface StubNode {
  nodeId: string;
  organization: string;
  role: 'voter' | 'learner' | 'observer' | 'removed';
  consensusPublicKey: string;
  spkiSha256: string;
  p2pAddress: string;
  apiUrl: string;
  sinceHeight: number;
}

/**
 * The one chain every stub validator serves: its node set, its height and the transactions the
 * stubs accepted. With `autoCommit`, an accepted transaction commits at once (a node change is
 * applied to the node set in a block of its own); without, it stays pending until `commitAll`.
 */
export class StubChain {
  height = 10;
  votersSince = 0;
  readonly nodes = new Map<string, StubNode>();
  /** Every transaction a stub accepted, in order. */
  readonly received: Transaction[] = [];
  readonly status = new Map<string, 'pending' | 'committed'>();
  autoCommit = true;
  /** While set, every stub answers submissions with this refusal instead of accepting them. */
  refusing?: { status: number; code: string; message: string };

  /** Starts the node set from the genesis validators, all voters (as the chain does). */
  seed(validators: readonly GenesisValidator[]): void {
    for (const v of validators) this.nodes.set(v.nodeId, { ...v, role: 'voter', sinceHeight: 0 });
  }

  /** Node-set transactions received, as [type, nodeId, nonce]. */
  nodeChanges(): [number, string, bigint][] {
    return this.received.flatMap((tx) => {
      const payload = tx.body.payload;
      return payload.type === TxType.NODE_ADD || payload.type === TxType.NODE_PROMOTE || payload.type === TxType.NODE_REMOVE ? [[payload.type, payload.nodeId, tx.body.nonce] as [number, string, bigint]] : [];
    });
  }

  accept(tx: Transaction): void {
    this.received.push(tx);
    this.status.set(tx.hashHex, 'pending');
    if (this.autoCommit) this.commitAll();
  }

  /** Commits every pending transaction, one block each. */
  commitAll(): void {
    for (const tx of this.received) {
      if (this.status.get(tx.hashHex) !== 'pending') continue;
      this.height++;
      this.apply(tx);
      this.status.set(tx.hashHex, 'committed');
    }
  }

  private apply(tx: Transaction): void {
    const payload = tx.body.payload;
    if (payload.type === TxType.NODE_ADD) {
      this.nodes.set(payload.nodeId, {
        nodeId: payload.nodeId,
        organization: payload.organization,
        role: NODE_ROLE_NAMES[payload.role] as 'learner' | 'observer',
        consensusPublicKey: toHex(payload.consensusPublicKey),
        spkiSha256: toHex(payload.spkiSha256),
        p2pAddress: payload.p2pAddress,
        apiUrl: payload.apiUrl,
        sinceHeight: this.height,
      });
    } else if (payload.type === TxType.NODE_PROMOTE || payload.type === TxType.NODE_REMOVE) {
      const node = this.nodes.get(payload.nodeId)!;
      this.nodes.set(payload.nodeId, { ...node, role: payload.type === TxType.NODE_PROMOTE ? 'voter' : 'removed', sinceHeight: this.height });
      this.votersSince = this.height;
    }
  }
}

/** One stand-in validator REST API on a real socket, serving a {@link StubChain}. */
export interface StubValidator {
  nodeId: string;
  url: string;
  /** While true, every connection is dropped (the node is dead). */
  down: boolean;
  /** Height its `/v1/status` reports instead of the chain's (a lagging node). */
  height?: number;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => resolve(text));
  });
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function handle(chain: StubChain, stub: StubValidator, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = request.url ?? '';
  if (request.method === 'GET' && url === '/v1/status') return json(response, 200, { nodeId: stub.nodeId, height: stub.height ?? chain.height });
  if (request.method === 'GET' && url === '/v1/network/nodes') {
    const nodes = [...chain.nodes.values()].sort((a, b) => a.nodeId.localeCompare(b.nodeId));
    return json(response, 200, { height: chain.height, votersSince: chain.votersSince, nodes });
  }
  if (request.method === 'GET' && url.startsWith('/v1/transactions/')) {
    const hash = url.slice('/v1/transactions/'.length);
    const status = chain.status.get(hash);
    return status ? json(response, 200, { hash, status }) : json(response, 404, { code: 'TX_NOT_FOUND', message: 'unknown' });
  }
  if (request.method === 'GET' && url.startsWith('/v1/accounts/')) return json(response, 200, { nonce: '0' });
  if (request.method === 'POST' && url === '/v1/transactions') {
    const tx = Transaction.fromBytes(Buffer.from((JSON.parse(await readBody(request)) as { tx: string }).tx, 'hex'));
    const refusal = chain.refusing;
    if (refusal) return json(response, refusal.status, { code: refusal.code, message: refusal.message });
    chain.accept(tx);
    return json(response, 202, { hash: tx.hashHex, status: 'pending' });
  }
  json(response, 404, { code: 'NOT_FOUND', message: url });
}

/** Starts a stub validator for `nodeId` on a random loopback port. */
export async function startStubValidator(chain: StubChain, nodeId: string): Promise<StubValidator> {
  const stub: StubValidator = { nodeId, url: '', down: false, close: async () => undefined };
  const server = createServer((request, response) => {
    if (stub.down) {
      request.socket.destroy();
      return;
    }
    void handle(chain, stub, request, response).catch((error: unknown) => json(response, 400, { code: 'STUB_ERROR', message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return stub;
}
