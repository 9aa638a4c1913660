import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Result of one `openssl` invocation. */
export interface OpensslResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the system `openssl` binary with `args` in `cwd`, never throwing on a non-zero exit. */
export function openssl(cwd: string, args: readonly string[]): Promise<OpensslResult> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(error);
        return;
      }
      resolve({ exitCode: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** A scratch directory for files handed to `openssl`. */
export interface Scratch {
  readonly dir: string;
  /** Writes `content` to `name` inside the directory and returns `name`. */
  write(name: string, content: string | Uint8Array): Promise<string>;
  remove(): Promise<void>;
}

/** Creates a fresh scratch directory under the OS temp dir. */
export async function scratch(): Promise<Scratch> {
  const dir = await mkdtemp(path.join(tmpdir(), 'accord-pki-'));
  return {
    dir,
    async write(name, content) {
      await writeFile(path.join(dir, name), content);
      return name;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
