import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAdminApp, type RunningAdminApp } from '../../../admin/src/index.js';
import { bootstrapConsortium, initDevnetAdmin } from './bootstrap.js';
import { devnetLayout, type DevnetLayout, type DevnetState } from './layout.js';

/** Flags of `accord devnet`. */
export interface DevnetOptions {
  dataDir: string;
  consensus: 'raft' | 'pbft';
  validators: number;
  powBits: number;
  kafka?: string;
  redis?: string;
  reset: boolean;
  adminPort: number;
  firstRestPort: number;
  firstP2pPort: number;
}

const CHAIN_ID = 'accord-devnet';
// The CLI entry point, found upwards from here: this module runs from dist/ and, in tests, from sources.
const ACCORD_BIN = findUpwards(dirname(fileURLToPath(import.meta.url)), join('bin', 'accord.js'));

function findUpwards(from: string, relative: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, relative))) return join(dir, relative);
    if (dirname(dir) === dir) throw new Error(`${relative} not found above ${from}`);
  }
}

// Longer than a validator's own shutdown grace period (20 s).
const VALIDATOR_STOP_MS = 25_000;

/** A running local consortium. */
export interface RunningDevnet {
  admin: RunningAdminApp;
  validators: Array<{ nodeId: string; url: string; child: ChildProcess }>;
  stop(): Promise<void>;
}

function startAdmin(layout: DevnetLayout, port: number): Promise<RunningAdminApp> {
  return startAdminApp({ config: { dataDir: layout.adminDir, caPassphraseFile: layout.passphraseFile, port, host: '127.0.0.1', chainId: CHAIN_ID } });
}

function spawnValidator(layout: DevnetLayout, options: DevnetOptions, adminUrl: string, nodeId: string, restPort: number): ChildProcess {
  // A larger young generation: a validator allocates per transaction (decoding, state entries)
  // and collects far less often with it (block sync measured about 5 % faster, bench/RESULTS.md).
  const args = ['--max-semi-space-size=64', ACCORD_BIN, 'validator', 'start', '--quiet', '--genesis', layout.genesisPath, '--node-id', nodeId, '--data-dir', layout.validatorDir(nodeId), '--tls-dir', layout.tlsDir(nodeId), '--consensus-key', join(layout.validatorDir(nodeId), 'consensus-key.json'), '--port', String(restPort), '--admin-url', adminUrl];
  const env = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', ...(options.kafka ? { KAFKA_BROKERS: options.kafka } : {}), ...(options.redis ? { REDIS_URL: options.redis } : {}) };
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk: Buffer): void => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) process.stdout.write(`[${nodeId}] ${line}\n`);
  };
  child.stdout?.on('data', prefix);
  child.stderr?.on('data', prefix);
  return child;
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Starts (or resumes) a whole consortium on this machine: the admin app and N validators whose
 * certificates were enrolled through the admin's API and whose genesis came from the admin.
 */
export async function runDevnet(options: DevnetOptions, print: (line: string) => void): Promise<RunningDevnet> {
  const layout = devnetLayout(options.dataDir);
  if (options.reset) rmSync(layout.root, { recursive: true, force: true });
  let state: DevnetState;
  let admin: RunningAdminApp;
  let oneTimePassword: string | undefined;
  if (existsSync(layout.stateFile)) {
    state = JSON.parse(readFileSync(layout.stateFile, 'utf8')) as DevnetState;
    admin = await startAdmin(layout, state.adminPort);
    print(`resuming the consortium in ${layout.root} (${state.consensus}, ${state.validators.length} validators)`);
  } else {
    print(`creating a new consortium in ${layout.root}: CA, governance key, ${options.validators} validators (${options.consensus})`);
    await initDevnetAdmin(layout, CHAIN_ID);
    admin = await startAdmin(layout, options.adminPort);
    const created = await bootstrapConsortium(layout, admin.url, readFileSync(layout.bootstrapPasswordFile, 'utf8').trim(), { ...options, members: 4 });
    state = created.state;
    oneTimePassword = created.adminOneTimePassword;
    writeFileSync(layout.stateFile, `${JSON.stringify(state, null, 2)}\n`);
  }
  const validators = state.validators.map((v) => ({ nodeId: v.nodeId, url: `http://127.0.0.1:${v.restPort}`, child: spawnValidator(layout, options, admin.url, v.nodeId, v.restPort) }));
  const stop = async (): Promise<void> => {
    await Promise.all(
      validators.map(
        (v) =>
          new Promise<void>((resolve) => {
            if (v.child.exitCode !== null || v.child.signalCode !== null) return resolve();
            // A validator exits by itself within its grace period; one that cannot (stopped by
            // SIGSTOP, wedged) is killed so that stopping the devnet always ends.
            const kill = setTimeout(() => v.child.kill('SIGKILL'), VALIDATOR_STOP_MS);
            v.child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            v.child.kill('SIGINT');
          }),
      ),
    );
    await admin.close();
  };
  try {
    for (const v of validators) {
      await waitFor(`${v.nodeId} to serve REST`, async () => (await fetch(`${v.url}/healthz`)).ok, 60_000);
    }
    // A quorum naming one leader is enough: a PBFT replica that timed out alone stays in its
    // view change (naming none) until the others change views, and follows the chain meanwhile.
    await waitFor('a consensus leader', async () => {
      const statuses = await Promise.all(validators.map(async (v) => (await (await fetch(`${v.url}/v1/status`)).json()) as { consensus: { leaderId?: string } }));
      const named = statuses.map((s) => s.consensus.leaderId).filter((id) => id !== undefined);
      const quorum = Math.floor((2 * validators.length) / 3) + 1;
      return named.some((id) => named.filter((other) => other === id).length >= quorum);
    }, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  print('');
  print('Accord devnet is ready');
  print(`  portal        ${admin.url}/portal/`);
  print(`  admin API     ${admin.url}/docs`);
  if (oneTimePassword) print(`  admin login   admin / ${oneTimePassword}   (one-time password: change it at first login)`);
  for (const v of validators) print(`  ${v.nodeId.padEnd(13)} REST ${v.url}/v1/status   Swagger ${v.url}/docs`);
  print(`  member keys   ${state.memberKeyFiles.join(', ')}`);
  print(`  genesis       ${layout.genesisPath}`);
  print('Press Ctrl-C to stop; run again to resume the same network (--reset starts over).');
  return { admin, validators, stop };
}
