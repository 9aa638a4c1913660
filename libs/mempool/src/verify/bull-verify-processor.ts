import { processVerifyJob } from './process-verify-job.js';
import type { VerifyJobData, VerifyJobResult } from './types.js';

/**
 * Bull sandboxed-processor module of `BullTxVerifier`: Bull's child process loads it through
 * the file made by `sandboxProcessorFile` and calls the default export once per job.
 */
export default function verifyJobProcessor(job: { data: VerifyJobData }): VerifyJobResult {
  return processVerifyJob(job);
}
