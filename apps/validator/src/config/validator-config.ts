import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bytesEqual, fromHex, parseGenesis, publicKeyOf, type Genesis } from '#chain';
import { AccordError } from '#common';

/** Everything a validator process needs to run. */
export interface ValidatorConfig {
  nodeId: string;
  genesis: Genesis;
  dataDir: string;
  /** Postgres URL; when absent the ledger is `<dataDir>/ledger.sqlite`. */
  databaseUrl?: string;
  /** Postgres schema (one per validator when several share a database). */
  databaseSchema?: string;
  host: string;
  port: number;
  /** Bull queues for batch verification / PoW when set; local worker threads otherwise. */
  redisUrl?: string;
  /** Kafka ingress when set. */
  kafkaBrokers?: string[];
  /** Largest JSON body the REST API accepts. */
  maxBodyBytes: number;
  /** TLS identity for peering (required for Raft and PBFT). */
  tls?: TlsFiles;
  /** Admin app URL: revocations are polled from `<adminUrl>/v1/revocations`. */
  adminUrl?: string;
  /** How often revocations are polled. */
  revocationPollMs: number;
  /** JSON file holding this validator's consensus secret key `{ "privateKey": hex }` (PBFT signs with it). */
  consensusKeyPath?: string;
  /**
   * Per-peer dial addresses (`nodeId → host:port`) used instead of the genesis p2p address, e.g.
   * through a proxy or NAT. Only where to connect changes: the peer is still identified by its
   * registered certificate key.
   */
  p2pDialOverrides?: Record<string, string>;
  /** p2p listen address (host:port) of a node the genesis does not list (one that joins later). */
  p2pAddress?: string;
}

/** Where a validator's TLS material lives (PEM files). */
export interface TlsFiles {
  /** The node certificate followed by the issuing CA certificate. */
  certPath: string;
  /** The node's private key. */
  keyPath: string;
  /** The consortium root and issuing CA certificates. */
  caPath: string;
  /** Optional CRL file(s) to load at start (offline revocation). */
  crlPath?: string;
}

/** Reads and validates a genesis file. */
export function loadGenesisFile(path: string): Genesis {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new AccordError('GENESIS_UNREADABLE', `cannot read genesis ${path}: ${(error as Error).message}`);
  }
  return parseGenesis(json);
}

/** Options as they come from the CLI or the environment (strings). */
export interface ValidatorConfigInput {
  nodeId?: string;
  genesisPath?: string;
  genesis?: Genesis;
  dataDir?: string;
  databaseUrl?: string;
  databaseSchema?: string;
  host?: string;
  port?: number | string;
  redisUrl?: string;
  kafkaBrokers?: string;
  /** Directory holding node.crt, node.key, ca.crt (and optionally crl.pem). */
  tlsDir?: string;
  adminUrl?: string;
  /** Consensus key file; default `<dataDir>/../consensus-key.json` when that exists. */
  consensusKeyPath?: string;
  /** JSON object `{ "nodeId": "host:port" }` of dial address overrides. */
  p2pDialOverrides?: string;
  /** p2p listen address of a joining node. */
  p2pAddress?: string;
}

/**
 * Parses `{ "nodeId": "host:port" }`. Addresses are checked when the peer manager is built
 * (against the validator set), the shape here, so a typo fails at start with CONFIG_INVALID.
 */
export function parseDialOverrides(json: string | undefined): Record<string, string> {
  if (json === undefined || json.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new AccordError('CONFIG_INVALID', `p2p dial overrides are not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AccordError('CONFIG_INVALID', 'p2p dial overrides must be a JSON object { "nodeId": "host:port" }');
  }
  const overrides: Record<string, string> = {};
  for (const [nodeId, address] of Object.entries(value)) {
    if (typeof address !== 'string') throw new AccordError('CONFIG_INVALID', `p2p dial override for ${nodeId} must be a "host:port" string`);
    overrides[nodeId] = address;
  }
  return overrides;
}

/** Resolves CLI options over environment variables over defaults. */
export function resolveValidatorConfig(input: ValidatorConfigInput, env: NodeJS.ProcessEnv = process.env): ValidatorConfig {
  const genesisPath = input.genesisPath ?? env.ACCORD_GENESIS;
  const genesis = input.genesis ?? (genesisPath ? loadGenesisFile(resolve(genesisPath)) : undefined);
  if (!genesis) throw new AccordError('CONFIG_INVALID', 'a genesis is required (--genesis <file> or ACCORD_GENESIS)');
  const port = Number(input.port ?? env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AccordError('CONFIG_INVALID', `invalid port ${String(input.port ?? env.PORT)}`);
  const nodeId = input.nodeId ?? env.ACCORD_NODE_ID ?? genesis.validators[0]?.nodeId ?? 'solo';
  const kafka = input.kafkaBrokers ?? env.KAFKA_BROKERS;
  const dataDir = resolve(input.dataDir ?? env.ACCORD_DATA_DIR ?? join('data', nodeId));
  const defaultKeyPath = join(dataDir, '..', 'consensus-key.json');
  const consensusKey = input.consensusKeyPath ?? env.ACCORD_CONSENSUS_KEY;
  return {
    nodeId,
    genesis,
    dataDir,
    databaseUrl: input.databaseUrl ?? env.DATABASE_URL,
    databaseSchema: input.databaseSchema ?? env.DATABASE_SCHEMA,
    host: input.host ?? env.HOST ?? '127.0.0.1',
    port,
    redisUrl: input.redisUrl ?? env.REDIS_URL,
    kafkaBrokers: kafka ? kafka.split(',').map((b) => b.trim()).filter(Boolean) : undefined,
    maxBodyBytes: 2 * 1024 * 1024,
    tls: tlsFilesIn(input.tlsDir ?? env.ACCORD_TLS_DIR),
    adminUrl: input.adminUrl ?? env.ACCORD_ADMIN_URL,
    revocationPollMs: Number(env.ACCORD_REVOCATION_POLL_MS ?? 5000),
    consensusKeyPath: consensusKey ? resolve(consensusKey) : existsSync(defaultKeyPath) ? defaultKeyPath : undefined,
    p2pDialOverrides: parseDialOverrides(input.p2pDialOverrides ?? env.ACCORD_P2P_DIAL_OVERRIDES),
    p2pAddress: input.p2pAddress ?? env.ACCORD_P2P_ADDRESS,
  };
}

/**
 * Reads this validator's consensus secret key and checks it against its genesis entry, so a
 * misconfigured validator fails at start instead of signing votes nobody accepts.
 */
export function loadConsensusKey(config: ValidatorConfig, registeredKey?: Uint8Array): Uint8Array {
  if (!config.consensusKeyPath) throw new AccordError('CONSENSUS_KEY_MISSING', 'PBFT needs a consensus key (--consensus-key <file> or ACCORD_CONSENSUS_KEY)');
  let privateKey: Uint8Array | undefined;
  try {
    const json = JSON.parse(readFileSync(config.consensusKeyPath, 'utf8')) as { privateKey?: unknown };
    privateKey = typeof json.privateKey === 'string' ? fromHex(json.privateKey) : undefined;
  } catch (error) {
    throw new AccordError('CONSENSUS_KEY_UNREADABLE', `cannot read ${config.consensusKeyPath}: ${(error as Error).message}`);
  }
  if (!privateKey || privateKey.length !== 32) throw new AccordError('CONSENSUS_KEY_UNREADABLE', `${config.consensusKeyPath} holds no 32-byte hex privateKey`);
  const entry = config.genesis.validators.find((v) => v.nodeId === config.nodeId);
  const expected = registeredKey ?? (entry ? fromHex(entry.consensusPublicKey) : undefined);
  if (!expected || !bytesEqual(publicKeyOf(privateKey), expected)) {
    throw new AccordError('CONSENSUS_KEY_MISMATCH', `the consensus key in ${config.consensusKeyPath} is not ${config.nodeId}'s registered key`);
  }
  return privateKey;
}

/** The conventional file names of a TLS directory (as written by `accord devnet` and enrollment). */
export function tlsFilesIn(dir: string | undefined): TlsFiles | undefined {
  if (!dir) return undefined;
  const root = resolve(dir);
  const crlPath = join(root, 'crl.pem');
  return { certPath: join(root, 'node.crt'), keyPath: join(root, 'node.key'), caPath: join(root, 'ca.crt'), crlPath: existsSync(crlPath) ? crlPath : undefined };
}
