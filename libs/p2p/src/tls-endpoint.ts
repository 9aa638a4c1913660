import tls, { type SecureContext, type SecureContextOptions, type Server, type TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { peerEvidence, verifyPeer, type AcceptedPeer, type VerificationPolicy } from './peer-verification.js';
import { reasonForTlsCode, type RefusalReason } from './refusal.js';
import type { HandshakeSide } from './metrics.js';

/** A refused connection attempt, as reported to the owner. */
export interface Refusal {
  readonly side: HandshakeSide;
  readonly reason: RefusalReason;
  readonly detail: string;
  readonly remote: string;
  readonly expectedNodeId?: string;
  readonly serial?: string;
  readonly subject?: string;
}

/** Options of {@link TlsEndpoint}. */
export interface TlsEndpointOptions {
  readonly host: string;
  readonly port: number;
  readonly handshakeTimeoutMs: number;
  readonly contextOptions: SecureContextOptions;
  /** The current verification policy (registry, revocations, CAs). */
  readonly policy: (expectedNodeId?: string) => VerificationPolicy;
  /** A peer passed TLS verification; the owner now runs the HELLO exchange on `socket`. */
  readonly onVerified: (socket: TLSSocket, side: HandshakeSide, peer: AcceptedPeer) => void;
  readonly onRefused: (refusal: Refusal) => void;
  readonly logger: Logger;
}

/** Network errors that just mean "nobody is there (yet)"; a reconnect handles them quietly. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EADDRNOTAVAIL']);

/**
 * The TLS side of the transport: a mutual-TLS listener and a dialer sharing one reloadable
 * secure context. Node is told not to reject unverified peers by itself (`rejectUnauthorized:
 * false`) only so that we learn the reason: every connection is checked by {@link verifyPeer}
 * on the 'secure' event, before a single application byte is read or written, and destroyed when
 * refused.
 */
export class TlsEndpoint {
  private readonly options: TlsEndpointOptions;
  private readonly server: Server;
  private clientContext: SecureContext;
  private readonly handshaking = new Set<TLSSocket>();

  constructor(options: TlsEndpointOptions) {
    this.options = options;
    this.clientContext = tls.createSecureContext(options.contextOptions);
    this.server = tls.createServer({
      ...options.contextOptions,
      requestCert: true,
      rejectUnauthorized: false,
      handshakeTimeout: options.handshakeTimeoutMs,
    });
    this.server.on('secureConnection', (socket) => this.onAccepted(socket));
    this.server.on('tlsClientError', (error: NodeJS.ErrnoException, socket: TLSSocket) => {
      this.options.onRefused({
        side: 'listen',
        reason: reasonForTlsCode(error.code),
        detail: error.code ?? error.message,
        remote: `${socket.remoteAddress}:${socket.remotePort}`,
      });
    });
  }

  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        this.server.on('error', (error) => this.options.logger.error({ err: error }, 'p2p listener error'));
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : this.options.port);
      });
    });
  }

  /** Swaps certificates/keys/CAs/CRLs for new inbound and outbound handshakes. */
  reloadContext(contextOptions: SecureContextOptions): void {
    this.clientContext = tls.createSecureContext(contextOptions);
    this.server.setSecureContext(contextOptions);
  }

  /**
   * Dials a validator. Resolves true when TLS verification passed (the socket went to
   * `onVerified`), false when the attempt failed or was refused.
   */
  dial(host: string, port: number, expectedNodeId: string): Promise<boolean> {
    return new Promise((resolve) => {
      const remote = `${host}:${port}`;
      const socket = tls.connect({
        host,
        port,
        secureContext: this.clientContext,
        rejectUnauthorized: false,
        // Identity is the registered key, not the host name: checked in verifyPeer.
        checkServerIdentity: () => undefined,
        minVersion: 'TLSv1.3',
        maxVersion: 'TLSv1.3',
      });
      this.handshaking.add(socket);
      const timer = setTimeout(() => socket.destroy(Object.assign(new Error('handshake timed out'), { code: 'ETIMEDOUT' })), this.options.handshakeTimeoutMs);
      let settled = false;
      const settle = (verified: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.handshaking.delete(socket);
        resolve(verified);
      };
      socket.once('secureConnect', () => {
        const verdict = verifyPeer(peerEvidence(socket), this.options.policy(expectedNodeId));
        if (!verdict.ok) {
          socket.destroy();
          this.options.onRefused({ side: 'dial', reason: verdict.reason, detail: verdict.detail, remote, expectedNodeId, serial: verdict.serial, subject: verdict.subject });
          settle(false);
          return;
        }
        settle(true);
        this.options.onVerified(socket, 'dial', verdict);
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (settled) return;
        if (error.code && UNREACHABLE.has(error.code)) {
          this.options.logger.debug({ remote, expectedNodeId, code: error.code }, 'dial failed');
        } else {
          this.options.onRefused({ side: 'dial', reason: reasonForTlsCode(error.code), detail: error.code ?? error.message, remote, expectedNodeId });
        }
        settle(false);
      });
      socket.once('close', () => settle(false));
    });
  }

  /** Stops listening and aborts handshakes in progress; established sockets are the owner's. */
  close(): Promise<void> {
    for (const socket of this.handshaking) socket.destroy();
    this.handshaking.clear();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private onAccepted(socket: TLSSocket): void {
    socket.on('error', () => undefined); // a refused socket may still report a reset
    const verdict = verifyPeer(peerEvidence(socket), this.options.policy());
    if (!verdict.ok) {
      socket.destroy();
      this.options.onRefused({
        side: 'listen',
        reason: verdict.reason,
        detail: verdict.detail,
        remote: `${socket.remoteAddress}:${socket.remotePort}`,
        serial: verdict.serial,
        subject: verdict.subject,
      });
      return;
    }
    this.options.onVerified(socket, 'listen', verdict);
  }
}
