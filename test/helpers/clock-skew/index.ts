import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** libfaketime's multi-threaded library (Debian package `faketime`), or a clear error. */
export function fakeTimeLibrary(): string {
  const candidates = ['/usr/lib', ...readdirSync('/usr/lib').filter((d) => d.endsWith('-linux-gnu')).map((d) => join('/usr/lib', d))];
  for (const dir of candidates) {
    const path = join(dir, 'faketime', 'libfaketimeMT.so.1');
    if (existsSync(path)) return path;
  }
  throw new Error('libfaketime is missing: apt-get install -y faketime (scripts/test-all.sh installs it)');
}

/**
 * Environment that runs a process with its wall clock `seconds` ahead (negative: behind).
 * Monotonic clocks stay real, so timers and timeouts are unaffected: only what reads the time
 * of day (block timestamps, certificate validity, HTTP Date headers) sees the skew.
 */
export function clockSkewEnv(seconds: number, preload?: string): NodeJS.ProcessEnv {
  const library = fakeTimeLibrary();
  return {
    LD_PRELOAD: preload ? `${preload}:${library}` : library,
    FAKETIME: `${seconds >= 0 ? '+' : ''}${seconds}s`,
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  };
}
