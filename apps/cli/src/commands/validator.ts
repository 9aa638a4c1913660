import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ledgerDatabaseFrom, verifyLedger } from '#ledger';
import { genesisFromAdmin } from '../../../validator/src/config/genesis-source.js';
import { loadGenesisFile, resolveValidatorConfig } from '../../../validator/src/config/validator-config.js';
import { startValidator, type RunningValidator } from '../../../validator/src/main.js';
import { showSyncProgress } from './sync-progress.js';
import { stopOnSignals } from './stop-on-signals.js';

/** Prints where a validator serves. */
export function printValidatorUrls(running: RunningValidator): void {
  console.log(`validator ${running.node.config.nodeId} ready`);
  console.log(`  REST     ${running.url}/v1/status`);
  console.log(`  Swagger  ${running.url}/docs`);
}

/** A progress bar on stderr for long operations. */
export function progressBar(label: string): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (percent === last && done !== total) return;
    last = percent;
    const width = 30;
    const filled = Math.round((percent / 100) * width);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% ${done}/${total}`);
    if (done === total) process.stderr.write('\n');
  };
}

/** `accord validator start` and `accord ledger verify`. */
export function registerValidatorCommands(program: Command): void {
  program
    .command('validator')
    .description('validator node')
    .command('start')
    .description('start a validator with its REST API')
    .option('--genesis <file>', 'genesis file (ACCORD_GENESIS); without it, fetched once from --admin-url and kept in the data dir')
    .option('--node-id <id>', 'node id (ACCORD_NODE_ID)')
    .option('--data-dir <dir>', 'data directory (ACCORD_DATA_DIR, default ./data/<node-id>)')
    .option('--database-url <url>', 'Postgres URL (DATABASE_URL); default SQLite in the data dir')
    .option('--host <host>', 'bind address (HOST, default 127.0.0.1)')
    .option('--port <port>', 'REST port (PORT, default 8080)')
    .option('--tls-dir <dir>', 'TLS material for peering: node.crt, node.key, ca.crt, optional crl.pem (ACCORD_TLS_DIR)')
    .option('--admin-url <url>', 'admin app URL, to poll revocations (ACCORD_ADMIN_URL)')
    .option('--database-schema <schema>', 'Postgres schema (DATABASE_SCHEMA)')
    .option('--quiet', 'only warnings and errors from the HTTP framework')
    .option('--kafka <brokers>', 'consume signed transactions from Kafka, comma-separated brokers (KAFKA_BROKERS)')
    .option('--consensus-key <file>', 'PBFT consensus key JSON { "privateKey": hex } (ACCORD_CONSENSUS_KEY, default <data-dir>/../consensus-key.json)')
    .option('--p2p-address <host:port>', 'p2p listen address of a node that joins after genesis (ACCORD_P2P_ADDRESS); genesis and on-chain nodes listen where the chain says')
    .option('--p2p-dial-overrides <json>', 'dial peers elsewhere than their genesis address: JSON { "nodeId": "host:port" } (ACCORD_P2P_DIAL_OVERRIDES)')
    .action(async (flags: { p2pAddress?: string; p2pDialOverrides?: string; consensusKey?: string; genesis?: string; nodeId?: string; dataDir?: string; databaseUrl?: string; databaseSchema?: string; host?: string; port?: string; tlsDir?: string; adminUrl?: string; kafka?: string; quiet?: boolean }) => {
      // A joining validator may be given only the admin URL: the genesis comes from the admin.
      const adminUrl = flags.adminUrl ?? process.env.ACCORD_ADMIN_URL;
      const nodeId = flags.nodeId ?? process.env.ACCORD_NODE_ID;
      let genesisPath = flags.genesis ?? process.env.ACCORD_GENESIS;
      if (!genesisPath && adminUrl && nodeId) genesisPath = await genesisFromAdmin(adminUrl, resolve(flags.dataDir ?? process.env.ACCORD_DATA_DIR ?? join('data', nodeId)));
      const config = resolveValidatorConfig({
        genesisPath,
        nodeId: flags.nodeId,
        dataDir: flags.dataDir,
        databaseUrl: flags.databaseUrl,
        databaseSchema: flags.databaseSchema,
        host: flags.host,
        port: flags.port,
        tlsDir: flags.tlsDir,
        adminUrl: flags.adminUrl,
        kafkaBrokers: flags.kafka,
        consensusKeyPath: flags.consensusKey,
        p2pDialOverrides: flags.p2pDialOverrides,
        p2pAddress: flags.p2pAddress,
      });
      const running = await startValidator(config, { quiet: flags.quiet });
      printValidatorUrls(running);
      if (running.node.sync) showSyncProgress(running.node.sync);
      stopOnSignals(() => running.close());
    });

  program
    .command('ledger')
    .description('ledger tools')
    .command('verify')
    .description('re-check the whole chain: hash links, Merkle roots, signatures and state roots by replay')
    .requiredOption('--genesis <file>', 'genesis file')
    .option('--data-dir <dir>', 'validator data directory (holding ledger.sqlite)')
    .option('--database-url <url>', 'Postgres URL instead of SQLite')
    .option('--schema <schema>', 'Postgres schema')
    .option('--no-progress', 'no progress bar')
    .action(async (flags: { genesis: string; dataDir?: string; databaseUrl?: string; schema?: string; progress: boolean }) => {
      const genesis = loadGenesisFile(resolve(flags.genesis));
      const database = ledgerDatabaseFrom({ databaseUrl: flags.databaseUrl, sqlitePath: join(resolve(flags.dataDir ?? '.'), 'ledger.sqlite'), schema: flags.schema });
      const verdict = await verifyLedger({ database, genesis, onProgress: flags.progress ? progressBar('verifying') : undefined });
      console.log(JSON.stringify(verdict));
      process.exitCode = verdict.ok ? 0 : 1;
    });
}
