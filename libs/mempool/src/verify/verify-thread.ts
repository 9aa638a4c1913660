import { parentPort } from 'node:worker_threads';
import { processSignatureChecks, processStateDeltas, processVerifyJob } from './process-verify-job.js';
import type { SignatureCheckJob, StateDeltaJob, VerifyJobData } from './types.js';

/** Runs one message's job: encoded transactions, signature checks, or block sync's state entries. */
function run(data: VerifyJobData | SignatureCheckJob | StateDeltaJob): unknown {
  if ('checks' in data) return processSignatureChecks(data);
  if ('blocks' in data) return processStateDeltas(data);
  return processVerifyJob({ data });
}

// Worker-thread entry of LocalTxVerifier: one batch per message.
parentPort?.on('message', (data: VerifyJobData | SignatureCheckJob | StateDeltaJob) => {
  try {
    parentPort?.postMessage({ result: run(data) });
  } catch (error) {
    parentPort?.postMessage({ error: (error as Error).message });
  }
});
