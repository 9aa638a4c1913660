import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalGenesisJson, parseGenesis, toHex, type Genesis } from '#chain';
import { createConsortiumCa, createKeyAndCsr, issueCertificate } from '#pki';
import { CHAIN_ID, testAccount } from './chain-fixtures.js';
import { freePort } from './ports.js';
import { spawnAccord, type RunningProcess } from './process.js';

/** Files and genesis of a local validator network made for a test. */
export interface ClusterFiles {
  genesis: Genesis;
  /** Nodes with certificates and consensus keys that the genesis does not list (to join later). */
  spares: SpareNode[];
  genesisPath: string;
  nodeIds: string[];
  tlsDir(nodeId: string): string;
  dataDir(nodeId: string): string;
}

/** A node ready to join: what a NODE_ADD needs, and where its files are. */
export interface SpareNode {
  nodeId: string;
  spkiSha256: string;
  consensusPublicKey: string;
  p2pAddress: string;
}

/**
 * Creates a consortium CA, one validator certificate per node (from a CSR, validator profile),
 * and a Raft/PBFT genesis with funded members `member-0..`, under `dir`.
 */
export async function createClusterFiles(
  dir: string,
  options: { validators: number; consensus: 'raft' | 'pbft'; members?: number; balance?: string; blockIntervalMs?: number; powDifficultyBits?: number; spares?: number },
): Promise<ClusterFiles> {
  const ca = await createConsortiumCa({ name: 'Test Consortium', rootKeyBits: 3072 });
  const issuer = { certPem: ca.issuing.certPem, privateKeyPem: ca.issuing.privateKeyPem };
  const caPem = `${ca.root.certPem.trim()}\n${ca.issuing.certPem.trim()}\n`;
  const nodeIds = Array.from({ length: options.validators }, (_, i) => `validator-${i + 1}`);
  const spareIds = Array.from({ length: options.spares ?? 0 }, (_, i) => `validator-${options.validators + i + 1}`);
  const validators = [];
  for (const nodeId of [...nodeIds, ...spareIds]) {
    const { privateKeyPem, csrPem } = await createKeyAndCsr({ commonName: nodeId, organization: 'Org1', organizationalUnit: 'validator' });
    const cert = issueCertificate({ issuer, csrPem, profile: 'validator', subjectId: nodeId, organization: 'Org1' });
    const tlsDir = join(dir, nodeId, 'tls');
    mkdirSync(tlsDir, { recursive: true });
    writeFileSync(join(tlsDir, 'node.crt'), `${cert.certPem.trim()}\n${ca.issuing.certPem.trim()}\n`);
    writeFileSync(join(tlsDir, 'node.key'), privateKeyPem, { mode: 0o600 });
    writeFileSync(join(tlsDir, 'ca.crt'), caPem);
    // Where the validator looks by default: <dataDir>/../consensus-key.json.
    const consensusKey = testAccount(`consensus-${nodeId}`);
    writeFileSync(join(dir, nodeId, 'consensus-key.json'), JSON.stringify({ privateKey: toHex(consensusKey.privateKey), publicKey: consensusKey.publicKeyHex }), { mode: 0o600 });
    validators.push({
      nodeId,
      organization: 'Org1',
      consensusPublicKey: testAccount(`consensus-${nodeId}`).publicKeyHex,
      spkiSha256: cert.spkiSha256,
      p2pAddress: `127.0.0.1:${await freePort()}`,
      apiUrl: 'http://127.0.0.1:0',
    });
  }
  const spares = validators.filter((v) => spareIds.includes(v.nodeId)).map(({ nodeId, spkiSha256, consensusPublicKey, p2pAddress }) => ({ nodeId, spkiSha256, consensusPublicKey, p2pAddress }));
  const members = Array.from({ length: options.members ?? 4 }, (_, i) => testAccount(`member-${i}`));
  const genesis = parseGenesis({
    chainId: CHAIN_ID,
    genesisTime: '2026-01-01T00:00:00.000Z',
    consensus: { type: options.consensus, blockIntervalMs: options.blockIntervalMs ?? 50, maxTxsPerBlock: 2000, electionTimeoutMs: 500, heartbeatIntervalMs: 50 },
    powDifficultyBits: options.powDifficultyBits ?? 0,
    governanceKeys: [testAccount('governance').publicKeyHex],
    limits: { maxTxBytes: 8192, maxRecordValueBytes: 4096, maxTransferAmount: '1000000000000' },
    members: members.map((m) => ({ publicKey: m.publicKeyHex, role: 'client', organization: 'Org1', balance: options.balance ?? '1000000000' })),
    validators: validators.filter((v) => nodeIds.includes(v.nodeId)),
  });
  const genesisPath = join(dir, 'genesis.json');
  writeFileSync(genesisPath, canonicalGenesisJson(genesis));
  return { genesis, genesisPath, nodeIds, spares, tlsDir: (id) => join(dir, id, 'tls'), dataDir: (id) => join(dir, id, 'data') };
}

/** A validator process of a test cluster. */
export interface ClusterNode {
  nodeId: string;
  process: RunningProcess;
  url: string;
}

/** Starts `accord validator start` for one node and waits until it serves REST. */
export async function startClusterNode(files: ClusterFiles, nodeId: string, env: NodeJS.ProcessEnv = {}): Promise<ClusterNode> {
  const spare = files.spares.find((s) => s.nodeId === nodeId);
  const process = spawnAccord(
    ['validator', 'start', '--genesis', files.genesisPath, '--node-id', nodeId, '--data-dir', files.dataDir(nodeId), '--tls-dir', files.tlsDir(nodeId), '--port', '0', ...(spare ? ['--p2p-address', spare.p2pAddress] : [])],
    { LOG_LEVEL: 'warn', ...env },
  );
  const [, url] = await process.waitFor(/REST\s+(http:\/\/127\.0\.0\.1:\d+)/, 60_000).catch((error: unknown) => {
    // A validator that never came up is nobody's to stop: do it here, or it outlives the run.
    process.child.kill('SIGKILL');
    throw error;
  });
  return { nodeId, process, url };
}
