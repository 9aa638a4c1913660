/**
 * One serving peer of the sync benchmark in its own process (as on its own machine): opens its
 * copy of the chain and serves blocks over mutual TLS until SIGTERM.
 *
 *   node --conditions=development --import tsx bench/sync/peer-process.ts <cluster-dir> <node-id> <chain.sqlite>
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadGenesisFile } from '../../apps/validator/src/config/validator-config.js';
import { openSyncNode } from '../../test/sync/support/sync-node.js';
import { tlsPeerManager } from '../../test/sync/support/tls-peers.js';

const [clusterDir, nodeId, sqlitePath] = process.argv.slice(2);
const genesis = loadGenesisFile(join(clusterDir, 'genesis.json'));
const manager = tlsPeerManager({ genesis, tlsDir: (id) => join(clusterDir, id, 'tls') }, nodeId);
await manager.start();
const dir = join(clusterDir, nodeId, 'serve');
mkdirSync(dir, { recursive: true });
const node = await openSyncNode({ nodeId, genesis, transport: manager, dir, fromSqlite: sqlitePath });
console.log(`ready ${nodeId} height ${node.ledger.height}`);
process.on('SIGTERM', () => {
  void node
    .close()
    .then(() => manager.stop())
    .then(() => process.exit(0));
});
