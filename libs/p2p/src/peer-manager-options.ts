import { pino, type Logger } from 'pino';
import { Registry } from 'prom-client';
import { DEFAULT_BACKOFF, type BackoffPolicy, type JitterSource } from './backoff.js';
import { P2pError } from './errors.js';
import { DEFAULT_MAX_FRAME_BYTES } from './frame.js';
import type { TlsCredentials } from './secure-context.js';
import type { ValidatorInfo } from './validator-registry.js';

/** Options of a {@link PeerManager}. Only `nodeId`, `credentials` and `validators` are required. */
export interface PeerManagerOptions {
  /** This validator's node id; must be in `validators`, with this node's key. */
  readonly nodeId: string;
  readonly credentials: TlsCredentials;
  /** The validator set: who may connect and where to dial them. Replace with `setValidators`. */
  readonly validators: readonly ValidatorInfo[];
  /** Listen address. Default `0.0.0.0`. */
  readonly listenHost?: string;
  /** Listen port; 0 picks a free one (see `PeerManager.port`). Default: this node's registry port. */
  readonly listenPort?: number;
  /** CRL PEM (one or more blocks) to load at start; more can be loaded with `loadCrl`. */
  readonly crlPem?: string;
  /** Poll the admin's revocation list at `url` (`<adminUrl>/v1/revocations`). */
  readonly revocation?: { readonly url: string; readonly pollIntervalMs?: number; readonly fetchImpl?: typeof fetch };
  /** A PING goes out on a link idle for this long. Default 1000 ms. */
  readonly heartbeatIntervalMs?: number;
  /** A link silent for this long is closed as dead. Default 5000 ms. */
  readonly deadPeerTimeoutMs?: number;
  /** Bound on TLS handshake plus HELLO exchange. Default 5000 ms. */
  readonly handshakeTimeoutMs?: number;
  readonly backoff?: Partial<BackoffPolicy>;
  /** Jitter for reconnect delays; inject a seeded source for reproducible tests. Default Math.random. */
  readonly random?: JitterSource;
  /** Largest frame payload sent or accepted. Default 16 MiB. */
  readonly maxFrameBytes?: number;
  /** Per-peer bound on bytes queued and not yet on the wire; `send` returns false beyond it. Default 8 MiB. */
  readonly maxQueueBytes?: number;
  readonly logger?: Logger;
  /** Registry for the metrics. Default: a registry of the manager's own (`PeerManager.metricsRegistry`). */
  readonly registry?: Registry;
  /** Metric label for a message type. Default: its decimal number. */
  readonly messageTypeName?: (type: number) => string;
}

/** {@link PeerManagerOptions} with every default applied. */
export interface ResolvedPeerManagerOptions extends Required<Omit<PeerManagerOptions, 'crlPem' | 'revocation' | 'backoff' | 'messageTypeName'>> {
  readonly crlPem: string | undefined;
  readonly revocation: { readonly url: string; readonly pollIntervalMs: number; readonly fetchImpl?: typeof fetch } | undefined;
  readonly backoff: BackoffPolicy;
  readonly messageTypeName: ((type: number) => string) | undefined;
}

/** Applies defaults and checks the options. Throws P2P_CONFIG. */
export function resolvePeerManagerOptions(options: PeerManagerOptions): ResolvedPeerManagerOptions {
  const self = options.validators.find((validator) => validator.nodeId === options.nodeId);
  if (!self && options.listenPort === undefined) {
    throw new P2pError('P2P_CONFIG', `node ${options.nodeId} is not in the validator list and no listenPort was given`);
  }
  const resolved: ResolvedPeerManagerOptions = {
    nodeId: options.nodeId,
    credentials: options.credentials,
    validators: options.validators,
    listenHost: options.listenHost ?? '0.0.0.0',
    listenPort: options.listenPort ?? (self as ValidatorInfo).port,
    crlPem: options.crlPem,
    // Explicit `??` rather than spreads: a caller's `pollIntervalMs: undefined` must not erase the default.
    revocation: options.revocation && {
      url: options.revocation.url,
      pollIntervalMs: options.revocation.pollIntervalMs ?? 30_000,
      fetchImpl: options.revocation.fetchImpl,
    },
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
    deadPeerTimeoutMs: options.deadPeerTimeoutMs ?? 5000,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 5000,
    backoff: {
      initialDelayMs: options.backoff?.initialDelayMs ?? DEFAULT_BACKOFF.initialDelayMs,
      maxDelayMs: options.backoff?.maxDelayMs ?? DEFAULT_BACKOFF.maxDelayMs,
      multiplier: options.backoff?.multiplier ?? DEFAULT_BACKOFF.multiplier,
    },
    random: options.random ?? { nextFloat: Math.random },
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    maxQueueBytes: options.maxQueueBytes ?? 8 * 1024 * 1024,
    logger: options.logger ?? pino({ name: 'accord-p2p' }),
    registry: options.registry ?? new Registry(),
    messageTypeName: options.messageTypeName,
  };
  if (resolved.deadPeerTimeoutMs <= resolved.heartbeatIntervalMs) {
    throw new P2pError('P2P_CONFIG', 'deadPeerTimeoutMs must exceed heartbeatIntervalMs');
  }
  if (resolved.revocation && !(resolved.revocation.pollIntervalMs > 0)) {
    throw new P2pError('P2P_CONFIG', 'revocation.pollIntervalMs must be positive');
  }
  if (resolved.maxQueueBytes <= 0 || resolved.maxFrameBytes <= 0) {
    throw new P2pError('P2P_CONFIG', 'maxQueueBytes and maxFrameBytes must be positive');
  }
  return resolved;
}
