import { parentPort } from 'node:worker_threads';
import { processSignatureChecks, processStateDeltas, processVerifyJob } from './process-verify-job.js';
import type { SignatureCheckJob, StateDeltaJob, VerifyJobData } from './types.js';

/** Runs one message's job: encoded transactions, signature checks, or block sync's state entries. */
function run(data: VerifyJobData | SignatureCheckJob | StateDeltaJob): { result: unknown; transfer: ArrayBuffer[] } {
  if ('packedChecks' in data) {
    const result = processSignatureChecks(data);
    return { result, transfer: [result.valid.buffer as ArrayBuffer] };
  }
  if ('blockEntries' in data) {
    const result = processStateDeltas(data);
    return { result, transfer: [result.lanes.buffer as ArrayBuffer] };
  }
  return { result: processVerifyJob({ data }), transfer: [] };
}

// Worker-thread entry of LocalTxVerifier: one batch per message.
parentPort?.on('message', (data: VerifyJobData | SignatureCheckJob | StateDeltaJob) => {
  try {
    const { result, transfer } = run(data);
    parentPort?.postMessage({ result }, transfer);
  } catch (error) {
    parentPort?.postMessage({ error: (error as Error).message });
  }
});
