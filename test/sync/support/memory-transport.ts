import type { ConsensusTransport } from '#consensus';

type Handler = (fromNodeId: string, payload: Buffer) => void;

/** Rewrites (or drops, with undefined) what one node sends: how tests make a peer misbehave. */
export type OutgoingFilter = (to: string, type: number, payload: Uint8Array) => Uint8Array | undefined;

/** Validators connected in memory; messages are delivered asynchronously, in order. */
export class MemoryNetwork {
  private readonly nodes = new Map<string, MemoryTransport>();

  join(nodeId: string): MemoryTransport {
    const transport = new MemoryTransport(nodeId, this);
    this.nodes.set(nodeId, transport);
    return transport;
  }

  ids(): string[] {
    return [...this.nodes.keys()];
  }

  deliver(from: string, to: string, type: number, payload: Uint8Array): boolean {
    const target = this.nodes.get(to);
    if (!target) return false;
    const copy = Buffer.from(payload);
    setImmediate(() => target.receive(from, type, copy));
    return true;
  }
}

/** One node's end of a MemoryNetwork. */
export class MemoryTransport implements ConsensusTransport {
  private readonly handlers = new Map<number, Set<Handler>>();
  filter?: OutgoingFilter;

  constructor(
    readonly nodeId: string,
    private readonly network: MemoryNetwork,
  ) {}

  send(nodeId: string, type: number, payload: Uint8Array): boolean {
    const out = this.filter ? this.filter(nodeId, type, payload) : payload;
    if (!out) return true;
    return this.network.deliver(this.nodeId, nodeId, type, out);
  }

  broadcast(type: number, payload: Uint8Array): string[] {
    const peers = this.connectedPeers();
    for (const peer of peers) this.send(peer, type, payload);
    return peers;
  }

  subscribe(type: number, handler: Handler): () => void {
    const set = this.handlers.get(type) ?? new Set<Handler>();
    set.add(handler);
    this.handlers.set(type, set);
    return () => set.delete(handler);
  }

  connectedPeers(): string[] {
    return this.network.ids().filter((id) => id !== this.nodeId);
  }

  receive(from: string, type: number, payload: Buffer): void {
    for (const handler of this.handlers.get(type) ?? []) handler(from, payload);
  }
}
