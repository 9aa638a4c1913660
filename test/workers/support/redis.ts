import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import Bull from 'bull';

/** The Redis the worker tests use. */
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** Fails (never skips) with instructions when the test Redis is not reachable. */
export async function requireRedis(): Promise<void> {
  const reply = await new Promise<string>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port: 6379 });
    socket.setTimeout(2_000, () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (error) => resolve(error.message));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.end();
      resolve(data.toString());
    });
  });
  if (!reply.startsWith('+PONG')) {
    throw new Error(`Redis is not reachable at 127.0.0.1:6379 (${reply.trim()}): start it with \`redis-server --daemonize yes --port 6379 --save ""\``);
  }
}

/** A Redis key prefix no other test run shares. */
export function uniquePrefix(label: string): string {
  return `accord-test-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key of a queue (all job states), e.g. after a test. */
export async function obliterateQueue(name: string, prefix: string): Promise<void> {
  const queue = new Bull(name, TEST_REDIS_URL, { prefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}
