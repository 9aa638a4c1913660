import { join } from 'node:path';

/** Where a local consortium keeps its files (all under one data directory). */
export interface DevnetLayout {
  root: string;
  adminDir: string;
  passphraseFile: string;
  bootstrapPasswordFile: string;
  genesisPath: string;
  stateFile: string;
  keysDir: string;
  validatorDir(nodeId: string): string;
  tlsDir(nodeId: string): string;
}

/** The layout of a devnet under `root`. */
export function devnetLayout(root: string): DevnetLayout {
  return {
    root,
    adminDir: join(root, 'admin'),
    passphraseFile: join(root, 'admin', 'ca-passphrase'),
    bootstrapPasswordFile: join(root, 'admin', 'bootstrap-password'),
    genesisPath: join(root, 'genesis.json'),
    stateFile: join(root, 'devnet.json'),
    keysDir: join(root, 'keys'),
    validatorDir: (nodeId) => join(root, nodeId),
    tlsDir: (nodeId) => join(root, nodeId, 'tls'),
  };
}

/** What `accord devnet` remembers between runs. */
export interface DevnetState {
  consensus: 'raft' | 'pbft';
  adminPort: number;
  validators: Array<{ nodeId: string; restPort: number; p2pPort: number }>;
  memberKeyFiles: string[];
}
