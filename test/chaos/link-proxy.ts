import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * What happens to the bytes of one direction of a link:
 * - `pass`: forwarded;
 * - `blackhole`: held back (as TCP retransmission would stall them) and delivered on heal,
 *   closes included, unless an endpoint gave up on the connection meanwhile;
 * - `drop`: discarded; a connection that lost bytes is reset on heal, since TCP never delivers
 *   a stream with a hole in it.
 */
export type FlowState = 'pass' | 'blackhole' | 'drop';

/** Byte counts that show a fault was really applied. */
export interface ProxyStats {
  connections: number;
  heldChunks: number;
  droppedBytes: number;
}

/** One direction of one proxied connection. */
class Pipe {
  private held: Buffer[] = [];
  /** How the source side closed, delivered once the direction passes: a FIN or a reset. */
  private pendingClose?: 'end' | 'reset';
  lostBytes = false;

  constructor(
    private readonly from: Socket,
    private readonly to: Socket,
    private readonly state: () => FlowState,
    private readonly stats: ProxyStats,
  ) {
    from.on('data', (chunk: Buffer) => this.onData(chunk));
    from.on('end', () => this.closeFrom('end'));
    // Closed without a FIN first: the peer was reset (or its process died).
    from.on('close', () => this.closeFrom(from.readableEnded ? 'end' : 'reset'));
  }

  /** Across a cut direction the other side learns of a close only on heal, as over a real network. */
  private closeFrom(how: 'end' | 'reset'): void {
    if (this.pendingClose === 'reset') return;
    this.pendingClose = how;
    if (this.state() === 'pass') this.deliverClose();
  }

  private deliverClose(): void {
    if (this.pendingClose === 'end') this.to.end();
    else if (this.pendingClose === 'reset' && !this.to.destroyed) this.to.resetAndDestroy();
  }

  private onData(chunk: Buffer): void {
    const state = this.state();
    if (state === 'drop') {
      this.lostBytes = true;
      this.stats.droppedBytes += chunk.length;
    } else if (state === 'blackhole') {
      this.held.push(chunk);
      this.stats.heldChunks++;
    } else if (!this.to.write(chunk)) {
      this.from.pause();
      this.to.once('drain', () => {
        if (this.state() === 'pass') this.from.resume();
      });
    }
  }

  /** Applies the current state: held bytes and closes flow again once the direction passes. */
  refresh(): void {
    const state = this.state();
    if (state !== 'pass') {
      if (state === 'drop') this.held = [];
      this.from.resume();
      return;
    }
    for (const chunk of this.held.splice(0)) this.to.write(chunk);
    this.deliverClose();
    if (!this.from.destroyed) this.from.resume();
  }
}

/** A TCP connection from a dialer through the proxy to its target. */
class ProxiedConnection {
  readonly forward: Pipe;
  readonly backward: Pipe;

  constructor(
    readonly client: Socket,
    readonly upstream: Socket,
    private readonly flows: { forward: () => FlowState; backward: () => FlowState },
    stats: ProxyStats,
    onGone: () => void,
  ) {
    this.forward = new Pipe(client, upstream, flows.forward, stats);
    this.backward = new Pipe(upstream, client, flows.backward, stats);
    // Errors end in 'close', which each pipe passes on; the connection is gone once both sides are.
    let open = 2;
    for (const socket of [client, upstream]) {
      socket.on('error', () => undefined);
      socket.once('close', () => {
        if (--open === 0) onGone();
      });
    }
  }

  refresh(): void {
    // Heal only what can heal: a stream missing bytes is reset, as a real network would.
    const lostForGood = (pipe: Pipe, state: FlowState): boolean => pipe.lostBytes && state !== 'drop';
    if (lostForGood(this.forward, this.flows.forward()) || lostForGood(this.backward, this.flows.backward())) {
      this.client.resetAndDestroy();
      this.upstream.resetAndDestroy();
      return;
    }
    this.forward.refresh();
    this.backward.refresh();
  }
}

/**
 * A TCP proxy between one dialer and one target, controllable per direction. It listens on
 * 127.0.0.1 and opens one upstream connection per accepted connection.
 */
export class LinkProxy {
  private server?: Server;
  private readonly connections = new Set<ProxiedConnection>();
  readonly stats: ProxyStats = { connections: 0, heldChunks: 0, droppedBytes: 0 };
  private forwardState: FlowState = 'pass';
  private backwardState: FlowState = 'pass';

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Starts listening; resolves with the `host:port` to dial instead of the target. */
  async start(): Promise<string> {
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return `127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  /** Sets what happens to dialer → target (`forward`) and target → dialer (`backward`) bytes. */
  set(direction: 'forward' | 'backward', state: FlowState): void {
    if (direction === 'forward') this.forwardState = state;
    else this.backwardState = state;
    for (const connection of this.connections) connection.refresh();
  }

  private accept(client: Socket): void {
    this.stats.connections++;
    const upstream = connect({ host: this.targetHost, port: this.targetPort, allowHalfOpen: true });
    const connection = new ProxiedConnection(
      client,
      upstream,
      { forward: () => this.forwardState, backward: () => this.backwardState },
      this.stats,
      () => this.connections.delete(connection),
    );
    this.connections.add(connection);
    connection.refresh();
  }

  /** Closes the listener and every connection through it. */
  async close(): Promise<void> {
    for (const connection of this.connections) {
      connection.client.destroy();
      connection.upstream.destroy();
    }
    this.connections.clear();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
