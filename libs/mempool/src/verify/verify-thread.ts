import { parentPort } from 'node:worker_threads';
import { processVerifyJob } from './process-verify-job.js';
import type { VerifyJobData } from './types.js';

// Worker-thread entry of LocalTxVerifier: one batch per message.
parentPort?.on('message', (data: VerifyJobData) => {
  try {
    parentPort?.postMessage({ result: processVerifyJob({ data }) });
  } catch (error) {
    parentPort?.postMessage({ error: (error as Error).message });
  }
});
