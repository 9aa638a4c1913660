import { readFile } from 'node:fs/promises';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { CONTROL_TYPE_MIN, HELLO_TYPE, PING_TYPE, decodeHello, encodeHello } from './control.js';
import { P2pError } from './errors.js';
import { PROTOCOL_VERSION, assertEncodable, type Frame } from './frame.js';
import { P2pMetrics, type HandshakeSide } from './metrics.js';
import { newLinkWins } from './link-preference.js';
import { Redialer } from './redialer.js';
import { PeerEventHub, type PeerEvents } from './peer-events.js';
import { PeerLink, type LinkCloseReason } from './peer-link.js';
import { resolvePeerManagerOptions, type PeerManagerOptions, type ResolvedPeerManagerOptions } from './peer-manager-options.js';
import type { AcceptedPeer, VerificationPolicy } from './peer-verification.js';
import type { RefusalReason } from './refusal.js';
import { RevocationPoller, type RevocationList } from './revocation-poller.js';
import { RevocationState } from './revocation-state.js';
import { secureContextOptions, trustedCaCertificates, type TlsCredentials } from './secure-context.js';
import { TlsEndpoint, type Refusal } from './tls-endpoint.js';
import { ValidatorRegistry, type ValidatorInfo } from './validator-registry.js';

/** Receives application messages of one type. `payload` views received bytes: copy it to keep it. */
export type MessageHandler = (fromNodeId: string, payload: Buffer) => void;

/**
 * Mutual-TLS links between validators: one logical link per pair, reconnected with backoff,
 * kept alive with heartbeats, with bounded per-peer send queues. Consensus drivers call
 * {@link send}/{@link broadcast} and {@link subscribe}; the manager dials every registered
 * validator and accepts connections only from them.
 *
 * Delivery is at most once and in order per connection. Messages can be lost when a link goes
 * down, and when both validators dialed each other at once, messages sent on the retired
 * duplicate are still delivered but may interleave with those on the surviving connection —
 * which Raft and PBFT tolerate.
 */
export class PeerManager {
  /** The registry holding this manager's metrics. */
  readonly metricsRegistry: Registry;
  private readonly options: ResolvedPeerManagerOptions;
  private readonly logger: Logger;
  private readonly metrics: P2pMetrics;
  private readonly events: PeerEventHub;
  private readonly revocations = new RevocationState();
  private readonly handlers = new Map<number, MessageHandler[]>();
  private readonly links = new Map<string, PeerLink>();
  private readonly pendingLinks = new Set<PeerLink>();
  private readonly redialer: Redialer;
  private registry: ValidatorRegistry;
  private credentials: TlsCredentials;
  private trustedCas;
  private endpoint: TlsEndpoint | undefined;
  private poller: RevocationPoller | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private listeningPort = 0;
  private running = false;

  constructor(options: PeerManagerOptions) {
    this.options = resolvePeerManagerOptions(options);
    this.logger = this.options.logger.child({ component: 'p2p', nodeId: this.options.nodeId });
    this.metricsRegistry = this.options.registry;
    this.metrics = new P2pMetrics({ registry: this.options.registry, typeName: this.options.messageTypeName });
    this.events = new PeerEventHub((event, error) => this.logger.error({ err: error, event }, 'peer event listener threw'));
    this.registry = new ValidatorRegistry(this.options.validators);
    this.credentials = this.options.credentials;
    this.trustedCas = trustedCaCertificates(this.credentials);
    if (this.options.crlPem) this.revocations.loadCrls(this.options.crlPem);
    this.redialer = new Redialer({
      backoff: this.options.backoff,
      random: this.options.random,
      wanted: (nodeId) => this.running && nodeId !== this.options.nodeId && this.registry.get(nodeId) !== undefined && !this.links.has(nodeId),
      dial: (nodeId) => this.dial(nodeId),
    });
  }

  /** The port the listener is bound to (after {@link start}). */
  get port(): number {
    return this.listeningPort;
  }

  /** Starts listening, polling revocations and dialing every other registered validator. */
  async start(): Promise<void> {
    if (this.running) return;
    this.endpoint = new TlsEndpoint({
      host: this.options.listenHost,
      port: this.options.listenPort,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs,
      contextOptions: this.contextOptions(),
      policy: (expectedNodeId) => this.policy(expectedNodeId),
      onVerified: (socket, side, peer) => this.onVerified(socket, side, peer),
      onRefused: (refusal) => this.onRefused(refusal),
      logger: this.logger,
    });
    this.listeningPort = await this.endpoint.listen();
    this.running = true;
    this.logger.info({ port: this.listeningPort }, 'p2p listening');
    const tickMs = Math.max(10, Math.floor(this.options.heartbeatIntervalMs / 2));
    this.heartbeatTimer = setInterval(() => this.heartbeat(), tickMs);
    this.heartbeatTimer.unref();
    if (this.options.revocation) {
      const { url, pollIntervalMs, fetchImpl } = this.options.revocation;
      this.poller = new RevocationPoller({ url, pollIntervalMs, fetchImpl, logger: this.logger, onList: (list) => this.applyRevocationList(list) });
      this.poller.start();
    }
    for (const validator of this.registry.all()) this.redialer.schedule(validator.nodeId, 0);
  }

  /** Closes every link (flushing queued frames) and stops listening, polling and dialing. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.heartbeatTimer);
    this.redialer.stop();
    await this.poller?.stop();
    const closed = [...this.links.values(), ...this.pendingLinks].map(
      (link) =>
        new Promise<void>((resolve) => {
          link.socket.once('close', () => resolve());
          if (link.socket.destroyed) resolve();
          link.close('shutdown', 'node shutting down', true);
        }),
    );
    await Promise.all([...closed, this.endpoint?.close()]);
    this.logger.info('p2p stopped');
  }

  /**
   * Queues `payload` for `nodeId` as a message of `type`. Returns true when queued, false when
   * there is no established link to that peer or its queue is over `maxQueueBytes`
   * (back-pressure: wait for the `writable` event). Never buffers without bound. Throws
   * P2P_INVALID_TYPE for a type outside [0, 0xff00) and FRAME_TOO_LARGE for an oversized payload.
   */
  send(nodeId: string, type: number, payload: Uint8Array): boolean {
    this.assertApplicationType(type, payload);
    const link = this.links.get(nodeId);
    if (!link) return false;
    const queued = link.enqueue(type, payload);
    if (!queued) this.metrics.sendBackpressure.inc();
    return queued;
  }

  /** Sends to every connected validator; returns the node ids it was queued for. */
  broadcast(type: number, payload: Uint8Array): string[] {
    this.assertApplicationType(type, payload);
    const queuedFor: string[] = [];
    for (const [nodeId, link] of this.links) {
      if (link.enqueue(type, payload)) queuedFor.push(nodeId);
      else this.metrics.sendBackpressure.inc();
    }
    return queuedFor;
  }

  /** Calls `handler` for every message of `type`; returns a function that unsubscribes. */
  subscribe(type: number, handler: MessageHandler): () => void {
    this.assertApplicationType(type, Buffer.alloc(0));
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler]);
    return () => this.handlers.set(type, (this.handlers.get(type) ?? []).filter((h) => h !== handler));
  }

  /** Listens for peer events; returns a function that removes the listener. */
  on<K extends keyof PeerEvents>(event: K, listener: PeerEvents[K]): () => void {
    return this.events.on(event, listener);
  }

  /** Node ids with an established link, sorted. */
  connectedPeers(): string[] {
    return [...this.links.keys()].sort();
  }

  /** Bytes queued for `nodeId` and not yet on the wire (0 without a link). */
  queuedBytes(nodeId: string): number {
    return this.links.get(nodeId)?.queuedBytes ?? 0;
  }

  /** Open connections (established or in HELLO) per peer, for diagnostics and tests. */
  connectionCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const link of [...this.links.values(), ...this.pendingLinks]) {
      if (link.state === 'hello' || link.state === 'up') counts.set(link.peerNodeId, (counts.get(link.peerNodeId) ?? 0) + 1);
    }
    return counts;
  }

  /** Replaces the validator set: links to validators no longer listed (or re-keyed) close. */
  setValidators(validators: readonly ValidatorInfo[]): void {
    this.registry = new ValidatorRegistry(validators);
    for (const link of [...this.links.values(), ...this.pendingLinks]) {
      if (this.registry.get(link.peerNodeId)?.spkiSha256 !== link.peerSpkiSha256) {
        link.close('not_a_validator', 'no longer a registered validator with this key');
      }
    }
    for (const nodeId of this.redialer.known()) if (!this.registry.get(nodeId)) this.redialer.forget(nodeId);
    for (const validator of validators) this.redialer.schedule(validator.nodeId, 0);
  }

  /** Loads renewed certificate/key/CAs; new handshakes use them, live links are kept. */
  setCredentials(credentials: TlsCredentials): void {
    this.trustedCas = trustedCaCertificates(credentials);
    this.credentials = credentials;
    this.endpoint?.reloadContext(this.contextOptions());
    this.logger.info('p2p credentials reloaded');
  }

  /** Replaces the loaded CRLs (PEM, one or more blocks); links using revoked certificates close. */
  loadCrl(pem: string): void {
    this.revocations.loadCrls(pem);
    this.onRevocationsChanged('crl');
  }

  /** {@link loadCrl} from a file. */
  async loadCrlFile(path: string): Promise<void> {
    this.loadCrl(await readFile(path, 'utf8'));
  }

  /** Applies an admin revocation list (what the poller does); older versions are ignored. */
  applyRevocationList(list: RevocationList): void {
    if (this.revocations.applyList(list.version, list.serials)) this.onRevocationsChanged(`list v${list.version}`);
  }

  private assertApplicationType(type: number, payload: Uint8Array): void {
    assertEncodable(type, payload.length, this.options.maxFrameBytes);
    if (type >= CONTROL_TYPE_MIN) {
      throw new P2pError('P2P_INVALID_TYPE', `message types from ${CONTROL_TYPE_MIN} up are reserved for the transport, got ${type}`);
    }
  }

  private contextOptions() {
    return secureContextOptions(this.credentials, this.revocations.crlsForTls(this.trustedCas));
  }

  private policy(expectedNodeId?: string): VerificationPolicy {
    return { registry: this.registry, revokedSerials: this.revocations.revokedSerials, trustedCas: this.trustedCas, expectedNodeId };
  }

  private onRevocationsChanged(source: string): void {
    this.logger.info({ source, revokedCount: this.revocations.revokedSerials.size }, 'revocations updated');
    this.endpoint?.reloadContext(this.contextOptions());
    for (const link of [...this.links.values(), ...this.pendingLinks]) {
      if (this.revocations.revokedSerials.has(link.peerSerial)) {
        link.close('revoked', `certificate serial ${link.peerSerial} revoked (${source})`);
      }
    }
  }

  private onRefused(refusal: Refusal): void {
    this.metrics.recordRefusal(refusal.side, refusal.reason);
    this.logger.warn(refusal, `p2p handshake refused: ${refusal.reason}`);
  }

  private refuseLink(link: PeerLink, reason: RefusalReason & LinkCloseReason, detail: string): void {
    const side: HandshakeSide = link.direction === 'inbound' ? 'listen' : 'dial';
    this.onRefused({ side, reason, detail, remote: `${link.socket.remoteAddress}:${link.socket.remotePort}`, serial: link.peerSerial });
    link.close(reason, detail);
  }

  private onVerified(socket: TLSSocket, side: HandshakeSide, peer: AcceptedPeer): void {
    if (!this.running) {
      socket.destroy();
      return;
    }
    const link = new PeerLink({
      socket,
      direction: side === 'listen' ? 'inbound' : 'outbound',
      peerNodeId: peer.nodeId,
      peerSerial: peer.serial,
      peerSpkiSha256: peer.spkiSha256,
      maxFrameBytes: this.options.maxFrameBytes,
      maxQueueBytes: this.options.maxQueueBytes,
      metrics: this.metrics,
      hooks: {
        onFrame: (from, frame) => this.onFrame(from, frame),
        onClosed: (closed, reason, detail) => this.onLinkClosed(closed, reason, detail),
        onWritable: (writable) => this.events.emit('writable', writable.peerNodeId),
      },
    });
    this.pendingLinks.add(link);
    link.enqueue(HELLO_TYPE, encodeHello(this.options.nodeId), true);
  }

  private onFrame(link: PeerLink, frame: Frame): void {
    if (link.state === 'hello') {
      this.onHello(link, frame);
      return;
    }
    // Frames still arriving on a retired (draining) link are delivered: the peer sent them
    // before it learned the link was retired.
    if (frame.type >= CONTROL_TYPE_MIN) {
      if (frame.type === HELLO_TYPE) link.close('protocol_error', 'second HELLO on a link');
      return; // PING and future control types only refresh liveness
    }
    const handlers = this.handlers.get(frame.type);
    if (!handlers) return;
    for (const handler of handlers) {
      try {
        handler(link.peerNodeId, frame.payload);
      } catch (error) {
        this.logger.error({ err: error, type: frame.type, from: link.peerNodeId }, 'message handler threw');
      }
    }
  }

  private onHello(link: PeerLink, frame: Frame): void {
    if (frame.type !== HELLO_TYPE) {
      this.refuseLink(link, 'protocol_error', `expected HELLO, got type ${frame.type}`);
      return;
    }
    let hello;
    try {
      hello = decodeHello(frame.payload);
    } catch (error) {
      this.refuseLink(link, 'protocol_error', (error as Error).message);
      return;
    }
    if (hello.nodeId !== link.peerNodeId) {
      this.refuseLink(link, 'wrong_node_id', `HELLO claims ${hello.nodeId}, certificate belongs to ${link.peerNodeId}`);
      return;
    }
    if (hello.protocolVersion !== PROTOCOL_VERSION) {
      this.refuseLink(link, 'protocol_error', `peer speaks protocol ${hello.protocolVersion}, we speak ${PROTOCOL_VERSION}`);
      return;
    }
    this.pendingLinks.delete(link);
    link.markUp();
    this.adopt(link);
  }

  /**
   * Makes `link` the peer's link unless a better one exists. When both validators dialed at once,
   * both keep the connection dialed by the lower node id, so they agree without talking.
   */
  private adopt(link: PeerLink): void {
    const nodeId = link.peerNodeId;
    const existing = this.links.get(nodeId);
    if (existing && existing.state === 'up') {
      const keepNew = newLinkWins(this.options.nodeId, nodeId, link.direction, existing.direction);
      this.logger.debug({ peer: nodeId, kept: keepNew ? link.direction : existing.direction }, 'duplicate link resolved');
      if (keepNew) this.links.set(nodeId, link);
      (keepNew ? existing : link).close('duplicate', 'another link to this peer is preferred', true);
      return;
    }
    this.links.set(nodeId, link);
    this.redialer.succeeded(nodeId);
    this.metrics.peersConnected.set(this.links.size);
    this.logger.info({ peer: nodeId, direction: link.direction, serial: link.peerSerial }, 'peer up');
    this.events.emit('peerUp', nodeId);
  }

  private onLinkClosed(link: PeerLink, reason: LinkCloseReason, detail: string): void {
    this.pendingLinks.delete(link);
    if (this.links.get(link.peerNodeId) !== link) {
      if (reason !== 'duplicate' && reason !== 'shutdown') this.logger.info({ peer: link.peerNodeId, reason, detail }, 'connection closed before HELLO');
      if (link.direction === 'outbound') this.redialer.schedule(link.peerNodeId, 1);
      return;
    }
    this.links.delete(link.peerNodeId);
    this.metrics.peersConnected.set(this.links.size);
    this.metrics.linksClosed.inc({ reason });
    this.logger[reason === 'shutdown' ? 'info' : 'warn']({ peer: link.peerNodeId, reason, detail }, 'peer down');
    this.events.emit('peerDown', link.peerNodeId, reason);
    this.redialer.schedule(link.peerNodeId, 0);
  }

  private async dial(nodeId: string): Promise<boolean> {
    const validator = this.registry.get(nodeId);
    if (!validator || !this.endpoint) return false;
    return this.endpoint.dial(validator.host, validator.port, nodeId);
  }

  private heartbeat(): void {
    const nowMs = Date.now();
    for (const link of this.pendingLinks) {
      if (nowMs - link.openedAtMs > this.options.handshakeTimeoutMs) {
        this.refuseLink(link, 'handshake_timeout', 'no HELLO within the handshake timeout');
      }
    }
    for (const link of this.links.values()) {
      if (nowMs - link.lastReceivedAtMs > this.options.deadPeerTimeoutMs) {
        link.close('heartbeat_timeout', `nothing received for ${nowMs - link.lastReceivedAtMs} ms`);
      } else if (nowMs - link.lastSentAtMs >= this.options.heartbeatIntervalMs) {
        link.enqueue(PING_TYPE, Buffer.alloc(0), true);
      }
    }
  }
}
