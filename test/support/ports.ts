import { createServer } from 'node:net';

// Linux hands out ephemeral ports (outgoing connections, `listen(0)`) from 32768 up. A port a test
// learns from `listen(0)` and releases for a child process to bind can be handed to another
// test's outgoing connection in between; ports chosen below that range can only clash with
// another explicit choice, and are checked free first.
const BELOW_EPHEMERAL_PORTS = { from: 20_000, to: 32_000 } as const;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A base port where every `base + offset` is free on 127.0.0.1, for programs that take port
 * ranges (a devnet's REST and p2p ports), below the ephemeral range.
 */
export async function freePortBase(offsets: readonly number[]): Promise<number> {
  const span = Math.max(...offsets) + 1;
  for (;;) {
    const base = BELOW_EPHEMERAL_PORTS.from + Math.floor(Math.random() * (BELOW_EPHEMERAL_PORTS.to - BELOW_EPHEMERAL_PORTS.from - span));
    const checks = await Promise.all(offsets.map((offset) => canListen(base + offset)));
    if (checks.every(Boolean)) return base;
  }
}

/** A port free on 127.0.0.1 a moment ago, below the ephemeral range, for a child process to bind. */
export function freePort(): Promise<number> {
  return freePortBase([0]);
}
