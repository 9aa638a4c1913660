import { readFileSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import type { Registry } from 'prom-client';
import { genesisNodes, type Genesis, type NetworkNode, type StateReader } from '#chain';
import { AccordError } from '#common';
import { consensusMessageTypeName } from '#consensus';
import { PeerManager, type ValidatorInfo } from '#p2p';
import type { ValidatorConfig } from '../config/validator-config.js';

/** host:port → parts; throws CONFIG_INVALID. */
export function parseHostPort(address: string): { host: string; port: number } {
  const index = address.lastIndexOf(':');
  const port = Number(address.slice(index + 1));
  if (index <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new AccordError('CONFIG_INVALID', `invalid p2p address ${address}`);
  return { host: address.slice(0, index), port };
}

/**
 * The live nodes (voters, learners, observers) as the p2p layer needs them. `dialOverrides`
 * (nodeId → host:port) replace where a peer is dialed; its registered key, which the TLS
 * handshake checks, stays.
 */
export function peersOf(nodes: Iterable<[string, Pick<NetworkNode, 'spkiSha256' | 'p2pAddress' | 'status'>]>, dialOverrides: Readonly<Record<string, string>> = {}): ValidatorInfo[] {
  const peers: ValidatorInfo[] = [];
  for (const [nodeId, node] of nodes) {
    if (node.status !== 'removed') peers.push({ nodeId, spkiSha256: node.spkiSha256, ...parseHostPort(dialOverrides[nodeId] ?? node.p2pAddress) });
  }
  return peers.sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
}

/** The nodes of a ledger state, for `peersOf`. */
export function nodesOf(state: Pick<StateReader, 'node' | 'nodeIds'>): Array<[string, NetworkNode]> {
  return [...state.nodeIds()].map((id) => [id, state.node(id) as NetworkNode]);
}

/** The genesis validators with dial overrides applied; an override for an unknown node is a mistake. */
export function validatorsOf(genesis: Genesis, dialOverrides: Readonly<Record<string, string>> = {}): ValidatorInfo[] {
  for (const nodeId of Object.keys(dialOverrides)) {
    if (!genesis.validators.some((v) => v.nodeId === nodeId)) throw new AccordError('CONFIG_INVALID', `p2p dial override for ${nodeId}, which is not a validator`);
  }
  return peersOf(genesisNodes(genesis), dialOverrides);
}

/** Creates (not starts) the mutual-TLS peer manager of this validator. */
export function createPeerManager(
  config: ValidatorConfig,
  state: Pick<StateReader, 'node' | 'nodeIds'>,
  logger: Logger = pino({ name: 'accord-p2p', level: process.env.LOG_LEVEL ?? 'info' }),
  registry?: Registry,
): PeerManager {
  if (!config.tls) throw new AccordError('CONFIG_INVALID', 'raft and pbft need TLS material: --tls-dir with node.crt, node.key and ca.crt');
  const validators = peersOf(nodesOf(state), config.p2pDialOverrides ?? {});
  // This node listens on its registered address (an override only says where others dial it);
  // a node the chain does not list yet (joining) listens where its operator says.
  const registered = state.node(config.nodeId);
  const listenAddress = registered && registered.status !== 'removed' ? registered.p2pAddress : config.p2pAddress;
  if (!listenAddress) throw new AccordError('CONFIG_INVALID', `node ${config.nodeId} is not in this chain's node set yet: give its p2p listen address (--p2p-address host:port)`);
  const self = parseHostPort(listenAddress);
  return new PeerManager({
    nodeId: config.nodeId,
    credentials: { cert: readFileSync(config.tls.certPath, 'utf8'), key: readFileSync(config.tls.keyPath, 'utf8'), ca: readFileSync(config.tls.caPath, 'utf8') },
    validators,
    listenHost: self.host,
    listenPort: self.port,
    crlPem: config.tls.crlPath ? readFileSync(config.tls.crlPath, 'utf8') : undefined,
    revocation: config.adminUrl ? { url: new URL('/v1/revocations', config.adminUrl).toString(), pollIntervalMs: config.revocationPollMs } : undefined,
    heartbeatIntervalMs: 500,
    deadPeerTimeoutMs: 3000,
    backoff: { initialDelayMs: 100, maxDelayMs: 2000 },
    logger,
    messageTypeName: consensusMessageTypeName,
    registry,
  });
}
