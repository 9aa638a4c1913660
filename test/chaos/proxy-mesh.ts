import { LinkProxy, type FlowState, type ProxyStats } from './link-proxy.js';

/**
 * One proxy per ordered validator pair (dialer → target), so the network between any two
 * validators can be cut, per direction, whichever of the two dialed. A validator dials its
 * peers through the proxies given by {@link dialOverrides}.
 */
export class ProxyMesh {
  private readonly proxies = new Map<string, LinkProxy>();
  private readonly addresses = new Map<string, string>();

  private constructor(readonly nodeIds: readonly string[]) {}

  /** `targets`: nodeId → its real p2p `host:port`. */
  static async create(targets: ReadonlyMap<string, string>): Promise<ProxyMesh> {
    const mesh = new ProxyMesh([...targets.keys()]);
    for (const [dialer] of targets) {
      for (const [target, address] of targets) {
        if (dialer === target) continue;
        const index = address.lastIndexOf(':');
        const proxy = new LinkProxy(address.slice(0, index), Number(address.slice(index + 1)));
        mesh.proxies.set(`${dialer}->${target}`, proxy);
        mesh.addresses.set(`${dialer}->${target}`, await proxy.start());
      }
    }
    return mesh;
  }

  /** The `ACCORD_P2P_DIAL_OVERRIDES` of `nodeId`: every peer through its proxy. */
  dialOverrides(nodeId: string): Record<string, string> {
    return Object.fromEntries(this.nodeIds.filter((id) => id !== nodeId).map((id) => [id, this.addresses.get(`${nodeId}->${id}`) as string]));
  }

  /** Sets what happens to bytes `from` sends to `to`, on whichever connection carries them. */
  setFlow(from: string, to: string, state: FlowState): void {
    // from dialed to: those bytes go forward; to dialed from: they come back.
    this.proxies.get(`${from}->${to}`)?.set('forward', state);
    this.proxies.get(`${to}->${from}`)?.set('backward', state);
  }

  /** No traffic between groups, in either direction (blackholed: delivered late if at all). */
  partition(groups: ReadonlyArray<readonly string[]>, state: FlowState = 'blackhole'): void {
    for (const a of groups) for (const b of groups) if (a !== b) for (const from of a) for (const to of b) this.setFlow(from, to, state);
  }

  /** Everything `nodeId` sends is lost; what it receives still arrives. */
  dropOutbound(nodeId: string): void {
    for (const to of this.nodeIds) if (to !== nodeId) this.setFlow(nodeId, to, 'drop');
  }

  /** Every direction passes again. */
  heal(): void {
    for (const from of this.nodeIds) for (const to of this.nodeIds) if (from !== to) this.setFlow(from, to, 'pass');
  }

  /** Totals over every proxy. */
  stats(): ProxyStats {
    const total: ProxyStats = { connections: 0, heldChunks: 0, droppedBytes: 0 };
    for (const proxy of this.proxies.values()) {
      total.connections += proxy.stats.connections;
      total.heldChunks += proxy.stats.heldChunks;
      total.droppedBytes += proxy.stats.droppedBytes;
    }
    return total;
  }

  async close(): Promise<void> {
    await Promise.all([...this.proxies.values()].map((proxy) => proxy.close()));
  }
}
