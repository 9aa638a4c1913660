import { parentPort } from 'node:worker_threads';
import { processSignatureChecks, processVerifyJob } from './process-verify-job.js';
import type { SignatureCheckJob, VerifyJobData } from './types.js';

// Worker-thread entry of LocalTxVerifier: one batch per message, of encoded transactions or of
// signature checks.
parentPort?.on('message', (data: VerifyJobData | SignatureCheckJob) => {
  try {
    parentPort?.postMessage({ result: 'checks' in data ? processSignatureChecks(data) : processVerifyJob({ data }) });
  } catch (error) {
    parentPort?.postMessage({ error: (error as Error).message });
  }
});
