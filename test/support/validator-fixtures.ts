import { join } from 'node:path';
import type { Genesis } from '#chain';
import { startValidator, type RunningValidator } from '../../apps/validator/src/main.js';
import { tempDir } from './temp.js';

/** Starts an in-process solo validator on a temp SQLite file and a random port. */
export async function startTestValidator(genesis: Genesis, dataDir?: string): Promise<RunningValidator & { dataDir: string; cleanup: () => Promise<void> }> {
  const dir = dataDir ? { path: dataDir, cleanup: () => undefined } : tempDir('validator');
  const running = await startValidator(
    { nodeId: 'solo-1', genesis, dataDir: join(dir.path), host: '127.0.0.1', port: 0, maxBodyBytes: 2 * 1024 * 1024, revocationPollMs: 5000 },
    { quiet: true, logger: { info: () => undefined, error: (m) => console.error(m) } },
  );
  return {
    ...running,
    dataDir: dir.path,
    cleanup: async () => {
      await running.close();
      dir.cleanup();
    },
  };
}
