import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Repository root (this file is test/support/process.ts). */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');
const ACCORD_BIN = join(REPO_ROOT, 'bin', 'accord.js');

/** Fails clearly when the project was not built (the README's test command builds first). */
export function requireBuild(): void {
  if (!existsSync(join(REPO_ROOT, 'dist', 'apps', 'cli', 'src', 'main.js'))) {
    throw new Error('dist/ is missing: run `npm run build` before the process tests (the README test command does)');
  }
}

/** A child process with its output collected. */
export interface RunningProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process exits. */
  exited: Promise<number | null>;
}

/** Starts `accord <args>` as a separate process. */
export function spawnAccord(args: string[], env: NodeJS.ProcessEnv = {}): RunningProcess {
  const child = spawn(process.execPath, [ACCORD_BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const listeners: Array<() => void> = [];
  const onData = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const listener of [...listeners]) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          const match = output.match(pattern);
          if (!match) return false;
          clearTimeout(timer);
          listeners.splice(listeners.indexOf(check), 1);
          resolve(match);
          return true;
        };
        const timer = setTimeout(() => {
          listeners.splice(listeners.indexOf(check), 1);
          reject(new Error(`timed out waiting for ${pattern} in output:\n${output}`));
        }, timeoutMs);
        listeners.push(check);
        if (!check()) void exited.then((code) => {
          if (!output.match(pattern)) reject(new Error(`process exited (${code}) before ${pattern}; output:\n${output}`));
        });
      }),
  };
}

/** Runs `accord <args>` to completion. */
export async function runAccord(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string }> {
  const running = spawnAccord(args, env);
  const code = await running.exited;
  return { code, output: running.output() };
}
