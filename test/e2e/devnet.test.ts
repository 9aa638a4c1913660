import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { AccordClient, buildTransfer, keyPairFromHex } from '#sdk';
import { readFileSync } from 'node:fs';
import { freePortBase } from '../support/ports.js';
import { REPO_ROOT } from '../support/process.js';
import { tempDir } from '../support/temp.js';

const dir = tempDir('devnet');
let running: { child: ChildProcess; output: () => string } | undefined;

/** `npm start` exactly as a user runs it, in its own process group (Ctrl-C signals the group). */
function npmStart(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn('npm', ['start', '--', ...args], { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitForOutput(process: { output: () => string; child: ChildProcess }, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(process.output())) {
    if (process.child.exitCode !== null) throw new Error(`npm start exited (${process.child.exitCode}):\n${process.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}:\n${process.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Ctrl-C: SIGINT to the whole foreground group. Resolves once npm has exited and no process of the group is left. */
async function ctrlC(started: { child: ChildProcess; output: () => string }): Promise<void> {
  const group = -(started.child.pid as number);
  const exited = new Promise<void>((resolve) => started.child.once('exit', () => resolve()));
  process.kill(group, 'SIGINT');
  await exited;
  // npm re-raises SIGINT on itself; the devnet and its validators must stop by themselves.
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      process.kill(group, 0);
    } catch {
      break; // ESRCH: nothing left in the group
    }
    if (Date.now() > deadline) throw new Error(`processes left running after Ctrl-C:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(started.output()).toMatch(/SIGINT: stopping/);
}

afterAll(() => {
  try {
    if (running) process.kill(-(running.child.pid as number), 'SIGKILL');
  } catch {
    // already gone
  }
  dir.cleanup();
});

describe('npm start: a whole local consortium', () => {
  let args: string[];
  let restUrls: string[];
  const committed: string[] = [];

  it('starts the admin and 4 enrolled validators, and commits transfers submitted through the SDK on all of them', async () => {
    // REST ports from base, p2p ports from base + 100, the admin at base + 200.
    const base = await freePortBase([0, 1, 2, 3, 100, 101, 102, 103, 200]);
    const [admin, rest, p2p] = [base + 200, base, base + 100];
    args = ['--data-dir', dir.path, '--admin-port', String(admin), '--rest-port', String(rest), '--p2p-port', String(p2p)];
    running = npmStart(args);
    await waitForOutput(running, /Accord devnet is ready[\s\S]*member keys\s+\S+/, 240_000);
    const output = running.output();
    expect(output).toMatch(/portal\s+http:\/\/127\.0\.0\.1:\d+\/portal\//);
    expect(output).toMatch(/admin login\s+admin \/ \S+/);
    restUrls = [...output.matchAll(/REST (http:\/\/127\.0\.0\.1:\d+)\/v1\/status\s+Swagger/g)].map((m) => m[1]);
    expect(restUrls).toHaveLength(4);
    const keyFiles = (output.match(/member keys\s+(.+)/)?.[1] ?? '').split(', ');
    const keys = keyFiles.map((file) => keyPairFromHex((JSON.parse(readFileSync(file.trim(), 'utf8')) as { privateKey: string }).privateKey));
    const client = new AccordClient(restUrls[0]);
    const { chainId } = await client.status();
    for (let i = 0; i < 5; i++) {
      const tx = buildTransfer({ chainId, signer: keys[0], nonce: BigInt(i) }, keys[1].address, 7n);
      const response = await new AccordClient(restUrls[i % 4]).submit(tx, { wait: true, waitTimeoutMs: 20_000 });
      expect(response.status).toBe('committed');
      committed.push(tx.hashHex);
    }
    for (const url of restUrls) {
      const node = new AccordClient(url);
      for (const hash of committed) expect((await node.waitForCommit(hash, 20_000)).status).toBe('committed');
    }
  });

  it('stops cleanly on Ctrl-C, and a second npm start resumes the same chain', async () => {
    const before = await new AccordClient(restUrls[0]).status();
    await ctrlC(running!);
    running = npmStart(args);
    await waitForOutput(running, /Accord devnet is ready/, 240_000);
    expect(running.output()).toContain('resuming the consortium');
    const after = await new AccordClient(restUrls[2]).status();
    expect(after.chainId).toBe(before.chainId);
    expect(after.height).toBeGreaterThanOrEqual(before.height);
    const block = await new AccordClient(restUrls[2]).getBlock(before.height);
    expect(block.hash).toBe(before.headHash);
    for (const hash of committed) expect((await new AccordClient(restUrls[1]).getTransaction(hash)).status).toBe('committed');
    await ctrlC(running!);
  });
});
