import type { Command } from 'commander';
import { startAdminApp } from './app.js';
import { verifyAuditChain } from './audit/verify-audit-chain.js';
import { loadAdminConfig, type AdminConfigOverrides } from './config.js';
import { initAdmin } from './init.js';

/** Where CLI commands write; tests pass a collector. */
export interface CliOutput {
  log(line: string): void;
  error(line: string): void;
}

const consoleOutput: CliOutput = { log: (line) => console.log(line), error: (line) => console.error(line) };

interface CommonFlags {
  dataDir?: string;
  databaseUrl?: string;
  passphraseFile?: string;
}

function overridesOf(flags: CommonFlags): AdminConfigOverrides {
  return { dataDir: flags.dataDir, databaseUrl: flags.databaseUrl, caPassphraseFile: flags.passphraseFile };
}

/** `admin init`: prints the one-time password once, and the root certificate. Returns the exit code. */
export async function runAdminInit(
  flags: CommonFlags & { name: string; adminUser?: string; passwordFile?: string },
  out: CliOutput = consoleOutput,
): Promise<number> {
  const result = await initAdmin(loadAdminConfig(overridesOf(flags)), { consortiumName: flags.name, adminUsername: flags.adminUser, passwordFile: flags.passwordFile });
  out.log(`Consortium "${flags.name}" initialised.`);
  out.log(`Governance public key: ${result.governancePublicKeyHex}`);
  out.log(`First admin: ${result.adminUsername}`);
  if (result.oneTimePassword) {
    out.log(`One-time password (shown once; change it at first login): ${result.oneTimePassword}`);
  }
  out.log(result.rootCertPem.trim());
  return 0;
}

/** `admin audit-verify`: 0 when the chain is intact, 1 (with the first broken row) otherwise. */
export async function runAuditVerify(flags: CommonFlags, out: CliOutput = consoleOutput): Promise<number> {
  const result = await verifyAuditChain(loadAdminConfig(overridesOf(flags)));
  if (result.ok) {
    out.log(`audit chain intact: ${result.rows} rows, head ${result.headHash}`);
    return 0;
  }
  out.error(`audit chain BROKEN at seq ${result.brokenAtSeq}: ${result.problem} (${result.rows} rows read)`);
  return 1;
}

function withCommonFlags(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'data directory (ADMIN_DATA_DIR, default ./data/admin)')
    .option('--database-url <url>', 'Postgres URL (DATABASE_URL); default SQLite in the data dir')
    .option('--passphrase-file <file>', 'file with the CA key passphrase (ACCORD_CA_PASSPHRASE_FILE)');
}

/** Adds `admin init | serve | audit-verify` to the `accord` CLI. */
export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('consortium admin app: CA, register, onboarding, audit');

  withCommonFlags(admin.command('init'))
    .description('create the register, the consortium CA, the governance key and the first admin')
    .requiredOption('--name <consortium>', 'consortium name (CA subject O)')
    .option('--admin-user <name>', 'first admin username', 'admin')
    .option('--password-file <file>', 'first admin password (otherwise a one-time password is printed)')
    .action(async (flags: CommonFlags & { name: string; adminUser?: string; passwordFile?: string }) => {
      process.exitCode = await runAdminInit(flags);
    });

  withCommonFlags(admin.command('serve'))
    .description('serve the admin API, Swagger (/docs) and the portal (/portal)')
    .option('--port <port>', 'port (PORT, default 7000)')
    .option('--host <host>', 'bind address (HOST, default 127.0.0.1)')
    .action(async (flags: CommonFlags & { port?: string; host?: string }) => {
      const running = await startAdminApp({ config: { ...overridesOf(flags), port: flags.port === undefined ? undefined : Number(flags.port), host: flags.host } });
      console.log(`admin listening on ${running.url} (portal ${running.url}/portal/, API docs ${running.url}/docs)`);
      const stop = (): void => {
        void running.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  withCommonFlags(admin.command('audit-verify'))
    .description('verify the audit log hash chain (exit code 1 on a break)')
    .action(async (flags: CommonFlags) => {
      process.exitCode = await runAuditVerify(flags);
    });
}
