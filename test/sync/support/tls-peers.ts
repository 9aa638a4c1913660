import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { EntryChanges, Transaction } from '#chain';
import { consensusMessageTypeName, type ConsensusTransport } from '#consensus';
import { LocalTxVerifier } from '#mempool';
import { BatchSignatureVerifier } from '../../../apps/validator/src/node/hashing.js';
import { PeerManager, type ValidatorInfo } from '#p2p';
import type { ClusterFiles } from '../../support/cluster.js';
import type { OutgoingFilter } from './memory-transport.js';

/** The validators of a cluster genesis as the p2p layer wants them. */
function validatorInfos(files: Pick<ClusterFiles, 'genesis'>): ValidatorInfo[] {
  return files.genesis.validators.map((v) => {
    const index = v.p2pAddress.lastIndexOf(':');
    return { nodeId: v.nodeId, spkiSha256: v.spkiSha256, host: v.p2pAddress.slice(0, index), port: Number(v.p2pAddress.slice(index + 1)) };
  });
}

/** A real mutual-TLS peer manager for `nodeId` of a cluster made by createClusterFiles. */
export function tlsPeerManager(files: Pick<ClusterFiles, 'genesis' | 'tlsDir'>, nodeId: string): PeerManager {
  const dir = files.tlsDir(nodeId);
  const validators = validatorInfos(files);
  const self = validators.find((v) => v.nodeId === nodeId);
  return new PeerManager({
    nodeId,
    credentials: { cert: readFileSync(join(dir, 'node.crt'), 'utf8'), key: readFileSync(join(dir, 'node.key'), 'utf8'), ca: readFileSync(join(dir, 'ca.crt'), 'utf8') },
    validators,
    listenHost: '127.0.0.1',
    listenPort: self?.port,
    heartbeatIntervalMs: 500,
    // In-process nodes share one event loop: long synchronous commits must not look like dead links.
    deadPeerTimeoutMs: 30_000,
    backoff: { initialDelayMs: 50, maxDelayMs: 500 },
    logger: pino({ level: 'warn' }),
    messageTypeName: consensusMessageTypeName,
  });
}

/** A transport whose outgoing messages pass through `filter` first (a misbehaving peer). */
export function filteredTransport(inner: ConsensusTransport, filter: OutgoingFilter): ConsensusTransport {
  return {
    send: (to, type, payload) => {
      const out = filter(to, type, payload);
      return out ? inner.send(to, type, out) : true;
    },
    broadcast: (type, payload) => {
      const peers = inner.connectedPeers();
      for (const peer of peers) {
        const out = filter(peer, type, payload);
        if (out) inner.send(peer, type, out);
      }
      return peers;
    },
    subscribe: (type, handler) => inner.subscribe(type, handler),
    connectedPeers: () => inner.connectedPeers(),
  };
}

/** Batch signature verification on worker threads, as a validator does it. */
export function workerSignatureVerifier(chainId: string): {
  verify: (txs: readonly Transaction[]) => Promise<boolean[]>;
  stateDeltas: (blocks: EntryChanges[]) => Promise<Uint16Array[]>;
  close: () => Promise<void>;
} {
  const pool = new LocalTxVerifier({ chainId });
  const verifier = new BatchSignatureVerifier(pool);
  return { verify: (txs) => verifier.verifyAll(txs), stateDeltas: (blocks) => pool.stateDeltas(blocks), close: () => verifier.close() };
}
