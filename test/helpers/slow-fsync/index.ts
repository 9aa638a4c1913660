import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const libraryPath = join(here, 'slow-fsync.so');
const sourcePaths = [join(here, 'slow-fsync.c'), join(here, 'build.sh')];

function libraryIsStale(): boolean {
  if (!existsSync(libraryPath)) return true;
  const builtMs = statSync(libraryPath).mtimeMs;
  return sourcePaths.some((path) => statSync(path).mtimeMs > builtMs);
}

/** Builds the LD_PRELOAD shim when it is missing or older than its sources; returns its path. */
export function ensureSlowFsyncLibrary(): string {
  if (!libraryIsStale()) return libraryPath;
  const build = spawnSync('sh', [join(here, 'build.sh')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`cannot build the slow-fsync shim (${join(here, 'build.sh')}): ${build.stderr.trim() || build.error?.message}`);
  return libraryPath;
}

/**
 * A slow disk for one process: its fsync/fdatasync calls sleep for the delay last set here
 * (re-read on every call, so a running process can be slowed down and healed).
 */
export class SlowDisk {
  private readonly delayFile: string;
  private readonly countFile: string;

  /** `dir`: where the control files live (one SlowDisk per directory). */
  constructor(dir: string) {
    this.delayFile = join(dir, 'fsync-delay-ms');
    this.countFile = join(dir, 'fsync-delayed-calls');
    this.setDelay(0);
  }

  /** Environment that preloads the shim into a process (other LD_PRELOAD entries are kept). */
  env(preload: string | undefined = undefined): NodeJS.ProcessEnv {
    const library = ensureSlowFsyncLibrary();
    return { LD_PRELOAD: preload ? `${library}:${preload}` : library, SLOW_FSYNC_DELAY_FILE: this.delayFile, SLOW_FSYNC_COUNT_FILE: this.countFile };
  }

  /** Every later fsync/fdatasync sleeps `ms` first (0 heals the disk). */
  setDelay(ms: number): void {
    writeFileSync(this.delayFile, `${Math.max(0, Math.round(ms))}\n`);
  }

  /** How many syncs were delayed so far (approximate under concurrency). */
  delayedCalls(): number {
    return existsSync(this.countFile) ? Number(readFileSync(this.countFile, 'utf8').trim() || 0) : 0;
  }
}
