import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/process.js';

/** Starts the fixture (grace period `graceMs`), waits until it serves, sends `signals` `gapMs` apart; resolves to its exit code and output. */
async function stopWith(mode: 'quick' | 'stuck', signals: NodeJS.Signals[], { gapMs = 100, graceMs = 500 } = {}): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', join(REPO_ROOT, 'test/ops/fixtures/stopping-process.ts'), mode, String(graceMs)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('ready')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await ready;
  for (const signal of signals) {
    child.kill(signal);
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  const code = await exited;
  return { code, output };
}

describe('stopping on signals', () => {
  it('exits 0 once a graceful stop completes', async () => {
    const stopped = await stopWith('quick', ['SIGTERM']);
    expect(stopped.code).toBe(0);
    expect(stopped.output).toContain('SIGTERM: stopping');
  });

  it('exits 1 when the stop outlasts its grace period, instead of hanging', async () => {
    const stopped = await stopWith('stuck', ['SIGINT']);
    expect(stopped.code).toBe(1);
    expect(stopped.output).toContain('stopping took longer than 0.5 s: exiting anyway');
  });

  it('takes a signal right after the first as the same request (Ctrl-C reaches a supervisor and its children)', async () => {
    const stopped = await stopWith('quick', ['SIGINT', 'SIGINT']);
    expect(stopped.code).toBe(0);
  });

  it('exits at once on a second signal a while after the first', async () => {
    const stopped = await stopWith('stuck', ['SIGINT', 'SIGINT'], { gapMs: 1200, graceMs: 10_000 });
    expect(stopped.code).toBe(1);
    expect(stopped.output).toContain('SIGINT again: exiting without waiting');
  });
});
